"""Every wait is bounded: the database's timeouts are set, a cancelled query is the friendly 503, and a Redis that
hangs costs one timeout, after which pages are served from the database at their usual speed (circuit breaker)."""

import socket
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import RequestFactory, override_settings

from tracker import caching
from tracker.deadlines import longer_statement_timeout
from tracker.middleware import DatabaseUnavailableMiddleware

on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql", reason="PostgreSQL's own timeouts"
)


def _show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@on_postgresql
def test_every_connection_has_statement_lock_and_idle_timeouts(db):
    assert _show("statement_timeout") == "5s"
    assert _show("lock_timeout") == "3s"
    assert _show("idle_in_transaction_session_timeout") == "30s"
    assert settings.DATABASES["default"]["OPTIONS"]["keepalives"] == 1


@on_postgresql
def test_admin_saves_and_imports_get_a_longer_explicit_statement_timeout(transactional_db):
    with longer_statement_timeout(20):
        assert _show("statement_timeout") == "20s"
    assert _show("statement_timeout") == "5s"


@pytest.mark.parametrize(
    "message",
    [
        "canceling statement due to statement timeout",
        "canceling statement due to lock timeout",
        "database stalled: no answer within 5.5 s (client-side timeout)",
    ],
)
def test_a_cancelled_query_is_the_friendly_503(message):
    request = RequestFactory().get("/commitments/")
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, OperationalError(message))
    assert response.status_code == 503
    assert "Back shortly" in response.content.decode()
    assert response["Retry-After"] == "30"


@pytest.fixture
def hanging_redis():
    """A "Redis" that accepts connections and never answers: a Redis that hangs rather than stops."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/12"
    listener.close()


def test_a_hanging_redis_costs_one_timeout_then_pages_come_from_the_database_at_normal_speed(
    client, seeded, hanging_redis
):
    client.get("/commitments/defence-2pct-gdp/")  # warm: templates compiled, as in a running worker
    caches = {
        "default": {
            "BACKEND": "tracker.redis_cache.RedisCache",
            "LOCATION": hanging_redis,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},  # settings.py's, with REDIS_URL
        }
    }
    with override_settings(CACHES=caches):
        # Timing on a shared machine: the best of three tries (each with the breaker closed again).
        for _attempt in range(3):
            caching.reset_breaker()
            timings = []
            for _ in range(4):
                started = time.perf_counter()
                response = client.get("/commitments/defence-2pct-gdp/")
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200
                assert "Defence spending" in response.content.decode()
            normal = max(timings[1:])  # rendered from the database, the cache skipped: no waiting on Redis
            if normal < 0.5 and timings[0] <= normal + 1.2:
                break
        started = time.perf_counter()
        health = client.get("/healthz")
        health_time = time.perf_counter() - started
    assert normal < 0.5, timings
    assert timings[0] <= normal + 1.2, timings  # the one timeout (0.5 s), then the breaker opens
    assert health.status_code == 503 and health.json()["cache"] == "down"
    assert health_time < 0.5
