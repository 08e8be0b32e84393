"""Whole-page caching of the public pages, invalidated by any change to the tracker's data.

Every cached page's key carries a "data version" kept in the cache itself; saving or deleting any tracker row
replaces that version (see `TrackerConfig.ready`), so every page renders afresh on its next request. Coarse, but
always right, and shared by every app process that shares the cache (Redis in production).

Pages are the same for everyone (nothing on them depends on a login or a cookie), so one copy serves all readers.
The key also carries today's date, because pages count days to deadlines.
"""

import hashlib
import uuid
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from tracker.views.common import is_partial

VERSION_KEY = "tracker:data-version"
PAGE_TIMEOUT = 60 * 60 * 24
STORED_HEADERS = ("Content-Type", "Content-Disposition", "HX-Push-Url", "Vary")


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY, version)
    return version


def data_changed(**_kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _page_key(request) -> str:
    variant = "partial" if is_partial(request) else "page"
    raw = f"{data_version()}|{timezone.localdate()}|{variant}|{request.get_full_path()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def public_page(view):
    """Serve a public GET from the cache when the data has not changed; answer 304 to a matching ETag."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        key = _page_key(request)
        etag = f'"{key[:32]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            stored = cache.get(f"page:{key}")
            if stored is not None:
                body, headers = stored
                response = HttpResponse(body)
                for name, value in headers.items():
                    response[name] = value
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # a TemplateResponse (the sitemap's): its content is what is kept
                if response.status_code == 200 and not response.streaming:
                    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
                    cache.set(f"page:{key}", (response.content, headers), PAGE_TIMEOUT)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            # Browsers may keep a copy but must ask again (cheaply, with the ETag): edits show at once.
            patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ["HX-Request"])
        return response

    return cached_view
