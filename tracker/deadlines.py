"""Every wait on PostgreSQL is bounded, well below gunicorn's timeout.

Three layers (docs/deploy.md, "Time limits"):

1. The server's own limits, set on every connection (settings.py, `options`): `statement_timeout` (5 s),
   `lock_timeout` (3 s) and `idle_in_transaction_session_timeout` (30 s). A query cancelled by them is an
   OperationalError that `DatabaseUnavailableMiddleware` answers with the friendly 503.
2. Longer, explicit limits where the work is legitimately longer: admin saves (POST under /admin/) and CSV imports
   run with `statement_timeout` at `DATABASE_ADMIN_STATEMENT_TIMEOUT` (20 s), set for that request only.
3. A server that does not answer at all (frozen, or a network that drops packets) cancels nothing, and TCP
   keepalives do not notice a process that is stopped while its kernel still acknowledges. So the app keeps its own
   deadline: `DatabaseDeadlineMiddleware` arms a timer (SIGALRM) while a request runs; if a query has waited
   `statement_timeout + 0.5 s` for the database, the wait is broken off, the connection is dropped and the request
   answers 503. The timer only ever interrupts a wait inside the database driver, never the app's own work.
   Signals reach the main thread only: under gunicorn's sync workers that is every request; elsewhere (threads of a
   test server) the server-side limits alone apply.
"""

import logging
import signal
import threading
import time
from contextlib import contextmanager, suppress

from django.conf import settings
from django.db import OperationalError, connection

log = logging.getLogger("tracker.outage")

GRACE_SECONDS = 0.5  # after the server's own statement_timeout: it cancels first when it can
POLL_SECONDS = 0.1  # once the deadline has passed, how often to look whether a database wait is under way


class DatabaseStalled(OperationalError):
    """The database did not answer within the deadline (the message says "timeout", which means a 503)."""


def statement_timeout() -> float:
    return settings.DATABASE_STATEMENT_TIMEOUT


def admin_statement_timeout() -> float:
    return settings.DATABASE_ADMIN_STATEMENT_TIMEOUT


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def longer_statement_timeout(seconds: float):
    """`statement_timeout` raised to `seconds` for what runs inside (an admin save, an import), then put back."""
    if not _is_postgresql():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(seconds * 1000)}ms"])
    try:
        yield
    finally:
        try:
            if connection.connection is not None and not connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
        except Exception:  # noqa: BLE001 — a connection that broke meanwhile is discarded anyway
            connection.close()


def _in_database_driver(frame) -> bool:
    depth = 0
    while frame is not None and depth < 12:
        if "/psycopg/" in frame.f_code.co_filename:
            return True
        frame, depth = frame.f_back, depth + 1
    return False


class _Deadline:
    def __init__(self, allowed: float):
        self.allowed = allowed
        self.deadline = time.monotonic() + allowed
        self.stalled = False

    def query_started(self, execute, sql, params, many, context):
        self.deadline = time.monotonic() + self.allowed
        return execute(sql, params, many, context)

    def on_alarm(self, _signum, frame):
        now = time.monotonic()
        if self.stalled or (now >= self.deadline and _in_database_driver(frame)):
            self.stalled = True
            signal.setitimer(signal.ITIMER_REAL, POLL_SECONDS)  # any later wait on the dead connection, too
            raise DatabaseStalled(f"database stalled: no answer within {self.allowed:.1f} s (client-side timeout)")
        signal.setitimer(signal.ITIMER_REAL, max(self.deadline - now, POLL_SECONDS))


class DatabaseDeadlineMiddleware:
    """Breaks off a database wait that outlasts the statement timeout (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_save = request.method == "POST" and request.path.startswith("/admin/")
        if not _is_postgresql():
            return self.get_response(request)
        limit = admin_statement_timeout() if admin_save else statement_timeout()
        if threading.current_thread() is not threading.main_thread() or not settings.DATABASE_CLIENT_DEADLINE:
            return self._respond(request, admin_save, limit)
        deadline = _Deadline(limit + GRACE_SECONDS)
        previous = signal.signal(signal.SIGALRM, deadline.on_alarm)
        signal.setitimer(signal.ITIMER_REAL, deadline.allowed)
        try:
            with connection.execute_wrapper(deadline.query_started):
                return self._respond(request, admin_save, limit)
        except DatabaseStalled as error:
            from tracker.middleware import outage_response

            return outage_response(request, error)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if deadline.stalled:
                _drop_connection()

    def _respond(self, request, admin_save, limit):
        if not admin_save:
            return self.get_response(request)
        with longer_statement_timeout(limit):
            return self.get_response(request)


def _drop_connection() -> None:
    """Forget a connection whose server stopped answering: never wait on it again (not even to close it politely)."""
    raw = connection.connection
    connection.connection = None
    connection.in_atomic_block = False
    connection.needs_rollback = False
    connection.savepoint_ids = []
    connection.atomic_blocks = []
    connection.closed_in_transaction = False
    if raw is not None:
        with suppress(Exception):
            raw.pgconn.finish()  # frees the socket; sends at most a few bytes, never waits for an answer
    log.error("Database connection dropped: the server stopped answering")
