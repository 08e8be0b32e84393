"""What every API response goes through: GET/HEAD only, a per-address rate limit with a clear 429, CORS for reading
from any site's scripts, then the site's whole-page cache (tracker.caching.public_page).

The limit counts requests per client address (the proxy's X-Real-IP when it comes from a trusted proxy, as for the
login lockout) in fixed one-minute windows kept in the shared cache, so every app process counts together. Each count
is one cache round trip, bounded by the cache's own timeouts and its circuit breaker: a cache that is down lets
requests through rather than making readers wait or fail.
"""

import json
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tracker.caching import _safely, public_page
from tracker.middleware import client_ip_behind_proxy

WINDOW_SECONDS = 60


def _count(address: str) -> tuple[int, int]:
    """This request's number in the address's current window, and the seconds until that window ends."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"api-rate:{address}:{window}"

    def increment() -> int:
        if cache.add(key, 1, WINDOW_SECONDS + 5):
            return 1
        return cache.incr(key)

    return _safely(increment, 0), int((window + 1) * WINDOW_SECONDS - now) + 1


def json_error(status: int, message: str, **extra) -> HttpResponse:
    body = json.dumps({"error": message, **extra}, ensure_ascii=False)
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return HttpResponse(body, status=status, content_type="application/json")


def _with_cors(response: HttpResponse) -> HttpResponse:
    # Read-only public data: any site's scripts may read it (no credentials are ever involved).
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"
    return response


def api_view(view):
    cached = public_page(view)

    @wraps(view)
    def limited(request, *args, **kwargs):
        limit = settings.TRACKER_API_RATE_LIMIT
        number, wait = _count(client_ip_behind_proxy(request))
        if number > limit:
            response = json_error(
                429,
                _("Too many requests: at most %(limit)s a minute from one address. Try again in %(wait)s seconds.")
                % {"limit": limit, "wait": wait},
                retry_after=wait,
            )
            response["Retry-After"] = str(wait)
        else:
            response = cached(request, *args, **kwargs)
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(max(limit - number, 0))
        return _with_cors(response)

    return require_safe(limited)
