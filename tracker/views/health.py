from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tracker.caching import cache_available


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _cache_ok() -> bool:
    if not cache_available():  # it failed a moment ago (tracker/caching.py): do not wait for it again
        return False
    try:
        cache.set("tracker:healthz", "ok", 10)
        return cache.get("tracker:healthz") == "ok"
    except Exception:  # noqa: BLE001 — any cache failure means "down", whatever the backend raises
        return False


@require_safe
@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the cache answer, 503 otherwise."""
    checks = {"database": "ok" if _database_ok() else "down", "cache": "ok" if _cache_ok() else "down"}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
