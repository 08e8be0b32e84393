"""Whole-page caching of the public pages, invalidated by any change to the tracker's data.

Every cached page's key carries a "data version" kept in the cache itself; saving or deleting any tracker row
replaces that version (see `TrackerConfig.ready`), so every page renders afresh on its next request. Coarse, but
always right, and shared by every app process that shares the cache (Redis in production).

Pages are the same for everyone (nothing on them depends on a login or a cookie), so one copy serves all readers.
The key also carries today's date, because pages count days to deadlines.

What cannot flood or poison it:
- each page is cached on the query parameters it understands (`PARAMETERS`); a request with any other parameter, or
  with one given twice, is redirected (301) to the same URL without them, so junk parameters neither fill the cache
  nor make the workers render afresh; pages with parameters are kept for an hour, plain ones for a day;
- the language is part of the key (and so of the ETag): /ja/… and the English page never share a copy;
- the scheme and host are part of the key (robots.txt, the sitemap, feeds and canonical links carry absolute URLs);
- the version changes again once the editor's transaction has committed (`on_commit`): a reader who rendered the old
  data in between stored it under a version that no longer counts.
A cache that fails (Redis down, or hanging until its 0.5 s timeout) opens a circuit breaker: for `BREAKER_SECONDS` the
process does not try it at all and pages render from the database at their usual speed.

`TRACKER_PAGE_CACHE=off` in the environment (settings.TRACKER_PAGE_CACHE) turns the whole-page cache off (every request renders; ETags and
headers stay the same): the benchmark's uncached runs use it (bench/run.py), and so can anyone who profiles.
"""

import hashlib
import itertools
import logging
import time
import uuid
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, HttpResponsePermanentRedirect
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from tracker.clock import today
from tracker.htmx import is_partial

log = logging.getLogger(__name__)

VERSION_KEY = "tracker:data-version"
PAGE_TIMEOUT = 60 * 60 * 24
QUERY_PAGE_TIMEOUT = 60 * 60  # a page with query parameters (a search, a filter) is kept an hour
BREAKER_SECONDS = 10.0

_INDEX = {
    *("q", "kind", "status", "formality", "pledged_by", "pledged_to", "deadline", "has_target", "sort", "as_of"),
    *("level", "review"),  # parts (top-level only, or parts only); commitments needing review
}
_TIMELINE = {"kind", "party", "commitment", "type", "page", "more"}
# The query parameters each public page understands, by URL name; a page not named here understands none.
PARAMETERS = {
    "overview": {"as_of"},
    "commitment_index": _INDEX | {"page"},
    "commitment_export_csv": _INDEX,
    "commitment_export_json": _INDEX,
    "commitments_calendar": _INDEX,  # the deadline calendar of any filtered view of the index (issue 17)
    # alerts for any filtered view: the index's filters (not its day or order), and the timeline's event types
    "commitments_alerts": (_INDEX - {"as_of", "sort"}) | {"type"},
    # the read API (tracker/api/): the same filters as the pages it mirrors
    "api_commitments": _INDEX | {"page"},
    "api_sources": {"page"},
    "api_timeline": {"kind", "party", "commitment", "type", "page"},
    "api_changes": (_INDEX - {"as_of"}) | {"from", "to", "page"},
    "commitment_card": set(),  # the social card image, in the language of its URL (/ja/… for Japanese)
    "commitment_cite_csl": {"as_of"},  # "cite this" as it stood on a day
    "commitment_cite_bibtex": {"as_of"},
    "commitment_detail": {"as_of", "quotes"},
    "source_list": {"q", "kind", "page"},
    "source_export_csv": {"q", "kind"},
    "source_export_json": {"q", "kind"},
    "timeline": _TIMELINE,
    "timeline_year": _TIMELINE,
    "timeline_month": _TIMELINE,
    "sitemap": {"p"},
    # /changes/: the index's filters over what moved between two days (its window replaces as_of)
    "changes": (_INDEX - {"as_of"}) | {"from", "to", "page"},
    "changes_csv": (_INDEX - {"as_of"}) | {"from", "to"},
    "changes_json": (_INDEX - {"as_of"}) | {"from", "to"},
}
STORED_HEADERS = ("Content-Type", "Content-Disposition", "HX-Push-Url", "Vary")
# A download (CSV, JSON) streams: this much of it is read first; if that is all of it, it is answered and cached like
# a page; a larger one is sent as it is read and never held whole, in memory or in the cache (see `_whole_if_small`).
STREAM_BUFFER_BYTES = 64 * 1024


class _Breaker:
    """Per process: after a cache failure, the cache is left alone for a while (a hanging Redis costs one timeout,
    not one per call). A data change that could not be recorded meanwhile is recorded as soon as the cache answers."""

    down_until = 0.0
    pending_change = False

    @classmethod
    def reset(cls):
        cls.down_until, cls.pending_change = 0.0, False


def reset_breaker() -> None:
    _Breaker.reset()


def cache_available() -> bool:
    return time.monotonic() >= _Breaker.down_until


def _safely(call, default=None):
    """A cache that cannot be reached (Redis down or hanging) is a miss, never an error: the page renders uncached."""
    if not cache_available():
        return default
    try:
        if _Breaker.pending_change:
            cache.set(VERSION_KEY, uuid.uuid4().hex, None)
            _Breaker.pending_change = False
        return call()
    except Exception:  # noqa: BLE001 — whatever the cache backend raises
        _Breaker.down_until = time.monotonic() + BREAKER_SECONDS
        log.exception("Cache unavailable: not used for the next %s s", BREAKER_SECONDS)
        return default


def data_version() -> str:
    def read_or_start():
        version = cache.get(VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(VERSION_KEY, version, None):
                version = cache.get(VERSION_KEY, version)
        return version

    return _safely(read_or_start, "cache-unavailable")


def _new_version() -> None:
    def replace():
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        return True

    if not _safely(replace, False):
        _Breaker.pending_change = True


def data_changed(**_kwargs) -> None:
    """A tracker row was saved or deleted: a new data version now, and again once the transaction has committed.

    The second is what matters: a reader who rendered the page between the save and the commit (still seeing the
    old data) stored it under the first new version, which the commit makes stale in turn. Never lets a lost cache
    break an editor's save.
    """
    _new_version()
    transaction.on_commit(_new_version, robust=True)


def _known_parameters(request) -> set[str]:
    match = getattr(request, "resolver_match", None)
    return PARAMETERS.get(match.url_name or "", set()) if match else set()


def _canonical_query(request) -> list[tuple[str, str]] | None:
    """The query parameters this page understands, in order; None when the query string has anything else (an
    unknown parameter, or one given twice), which the page then redirects away."""
    known = _known_parameters(request)
    kept, seen = [], set()
    for name, value in request.GET.lists() if request.GET else ():
        if name not in known or name in seen or len(value) != 1:
            return None
        seen.add(name)
        kept.append((name, value[0]))
    return kept


def _canonical_redirect(request):
    known = _known_parameters(request)
    kept = {}
    for name, values in request.GET.lists():
        if name in known and name not in kept:
            kept[name] = values[-1]  # what request.GET.get() reads
    query = urlencode(list(kept.items()))
    response = HttpResponsePermanentRedirect(f"{request.path}?{query}" if query else request.path)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _slot(request) -> str:
    """Where the page of this URL (and htmx variant, and day) is kept: one slot, overwritten when it goes stale.

    The stored copy carries the data version it was rendered at, so that the version and the page are read in one
    round trip to the cache (`get_many`): a cached page costs one request to Redis, not two.
    """
    variant = "partial" if is_partial(request) else "page"
    # The language too: it comes from the URL's /ja/ prefix today (LocaleMiddleware), but a page kept under one
    # language must never be served in another, whatever decides the language tomorrow.
    # Scheme and host too: robots.txt, the sitemap, the feeds and every canonical link carry absolute URLs.
    language = translation.get_language()
    raw = f"{today()}|{variant}|{language}|{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _etag(version: str, slot: str) -> str:
    return f'"{hashlib.sha256(f"{version}|{slot}".encode()).hexdigest()[:32]}"'


def kept_for_this_version(request, name: str, compute):
    """`compute()`, kept in the cache under the data version the page is rendered at (see `public_page`): what many
    pages share and what costs queries (the index's facet counts for one set of filters, the list of actors) is
    computed once per data version, and forgotten by the first edit like every page. Outside a public page, or with
    the cache unreachable, it is simply computed."""
    version = getattr(request, "tracker_data_version", None)
    if version is None or not settings.TRACKER_DATA_CACHE or not cache_available():
        return compute()
    # In the page's language: what is kept may hold words (the actors' names are the editors' Japanese on /ja/).
    key = f"data:{translation.get_language()}:{hashlib.sha256(name.encode()).hexdigest()}"
    stored = _safely(lambda: cache.get(key))
    if stored is not None and stored[0] == version:
        return stored[1]
    value = compute()
    _safely(lambda: cache.set(key, (version, value), QUERY_PAGE_TIMEOUT))
    return value


def _whole_if_small(response):
    """A streamed download read up to `STREAM_BUFFER_BYTES`: if it ended there, the same bytes as a plain response,
    which the page cache keeps (a filtered download is usually this small); if not, the stream goes on from where the
    reading stopped. A large download is therefore rendered on every request, at a flat memory cost per worker,
    rather than built whole in memory (and in the cache) before its first byte."""
    chunks, size = [], 0
    stream = iter(response.streaming_content)
    for chunk in stream:
        chunks.append(chunk)
        size += len(chunk)
        if size > STREAM_BUFFER_BYTES:
            response.streaming_content = itertools.chain(chunks, stream)
            return response
    whole = HttpResponse(b"".join(chunks), status=response.status_code)
    for name, value in response.items():
        whole[name] = value
    # Not response.close(): that signals the end of the request (Django would close its database connection).
    return whole


def public_page(view):
    """Serve a public GET from the cache when the data has not changed; answer 304 to a matching ETag."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        query = _canonical_query(request)
        if query is None:
            return _canonical_redirect(request)
        slot = _slot(request)
        enabled = settings.TRACKER_PAGE_CACHE
        stored = None
        if enabled and not request.headers.get("If-None-Match"):
            found = _safely(lambda: cache.get_many([VERSION_KEY, slot]), {})
            version = found.get(VERSION_KEY) or data_version()
            stored = found.get(slot)
        else:
            version = data_version()
        etag = _etag(version, slot)
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            if enabled and stored is None and request.headers.get("If-None-Match"):
                stored = _safely(lambda: cache.get(slot))
            if stored is not None and stored[0] == version:
                _version, body, headers = stored
                response = HttpResponse(body)
                for name, value in headers.items():
                    response[name] = value
            else:
                request.tracker_data_version = version  # for kept_for_this_version
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # a TemplateResponse (the sitemap's): its content is what is kept
                if response.streaming and response.status_code == 200:
                    response = _whole_if_small(response)
                if enabled and response.status_code == 200 and not response.streaming:
                    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
                    timeout = QUERY_PAGE_TIMEOUT if query else PAGE_TIMEOUT
                    _safely(lambda: cache.set(slot, (version, response.content, headers), timeout))
        if response.status_code in (200, 304):
            response["ETag"] = etag
            # Browsers may keep a copy but must ask again (cheaply, with the ETag): edits show at once.
            patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ["HX-Request"])
        return response

    return cached_view
