"""Whole-page caching of the public pages, invalidated by any change to the tracker's data.

Every cached page's key carries a "data version" kept in the cache itself; saving or deleting any tracker row
replaces that version (see `TrackerConfig.ready`), so every page renders afresh on its next request. Coarse, but
always right, and shared by every app process that shares the cache (Redis in production).

Pages are the same for everyone (nothing on them depends on a login or a cookie), so one copy serves all readers.
The key also carries today's date, because pages count days to deadlines.

`TRACKER_PAGE_CACHE=off` in the environment (settings.TRACKER_PAGE_CACHE) turns the whole-page cache off (every request renders; ETags and
headers stay the same): the benchmark's uncached runs use it (bench/run.py), and so can anyone who profiles.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers

from tracker.clock import today
from tracker.htmx import is_partial

log = logging.getLogger(__name__)

VERSION_KEY = "tracker:data-version"
PAGE_TIMEOUT = 60 * 60 * 24
STORED_HEADERS = ("Content-Type", "Content-Disposition", "HX-Push-Url", "Vary")


def _safely(call, default=None):
    """A cache that cannot be reached (Redis down) is a miss, never an error: the page renders uncached."""
    try:
        return call()
    except Exception:  # noqa: BLE001 — whatever the cache backend raises
        log.exception("Cache unavailable")
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


def data_changed(**_kwargs) -> None:
    # Never let a lost cache break an editor's save (this runs inside the save's transaction).
    _safely(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def _slot(request) -> str:
    """Where the page of this URL (and htmx variant, and day) is kept: one slot, overwritten when it goes stale.

    The stored copy carries the data version it was rendered at, so that the version and the page are read in one
    round trip to the cache (`get_many`): a cached page costs one request to Redis, not two.
    """
    variant = "partial" if is_partial(request) else "page"
    raw = f"{today()}|{variant}|{request.get_full_path()}"
    return f"page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _etag(version: str, slot: str) -> str:
    return f'"{hashlib.sha256(f"{version}|{slot}".encode()).hexdigest()[:32]}"'


def public_page(view):
    """Serve a public GET from the cache when the data has not changed; answer 304 to a matching ETag."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
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
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # a TemplateResponse (the sitemap's): its content is what is kept
                if enabled and response.status_code == 200 and not response.streaming:
                    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
                    _safely(lambda: cache.set(slot, (version, response.content, headers), PAGE_TIMEOUT))
        if response.status_code in (200, 304):
            response["ETag"] = etag
            # Browsers may keep a copy but must ask again (cheaply, with the ETag): edits show at once.
            patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ["HX-Request"])
        return response

    return cached_view
