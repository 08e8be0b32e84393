"""Request logging, database outages and the headers Django does not set itself."""

import json
import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed, QueryDict
from django.template.loader import render_to_string

request_log = logging.getLogger("tracker.requests")
outage_log = logging.getLogger("tracker.outage")

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


def client_ip_behind_proxy(request) -> str:
    """The reader's address, for the login lockout: the one the reverse proxy reports in X-Real-IP, but only when the
    request comes from the proxy (an address in TRUSTED_PROXIES); anyone else's X-Real-IP is ignored, so a client
    that reaches gunicorn directly cannot pick its own address. Without a trusted proxy, the connection's address."""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    if forwarded and remote in settings.TRUSTED_PROXIES:
        return forwarded[:45]  # the longest an IPv6 address can be written
    return remote


def lockout_username(request, credentials) -> str:
    """The username the login lockout counts failures for: at most as long as a username can be (150), so that a
    100 KB "username" is counted (under its first 150 characters) instead of overflowing the lockout table."""
    from django.contrib.auth import get_user_model

    field = get_user_model().USERNAME_FIELD
    username = (credentials or {}).get(field) or request.POST.get(field) or ""
    return str(username)[:150]


class RequestGuardMiddleware:
    """Requests no view should ever see, answered before anything else runs.

    - Public URLs are read-only: anything but GET and HEAD is a 405 naming them (before the CSRF check, which would
      otherwise answer 403). The admin, under /admin/, takes its forms as usual.
    - PostgreSQL refuses NUL in text, so a NUL that reached a query would be a database error (a 500). In a query
      parameter (`?commitment=%00`) it becomes U+FFFD, the replacement character: the page then treats the value as
      any other it does not understand (ignored, and named). In a submitted form (the admin) it is a 400: no
      browser sends one from what an editor types.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") and not request.path.startswith("/admin/"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
        if request.method == "POST" and _has_nul(_form_fields(request)):
            return HttpResponseBadRequest(
                "A form field contains a NUL character, which no form accepts.", content_type="text/plain"
            )
        return self.get_response(request)


def _form_fields(request):
    """The submitted form fields, or nothing when the body is not a form (or too big: Django answers that itself)."""
    try:
        return request.POST
    except Exception:  # noqa: BLE001 — RequestDataTooBig, a malformed multipart body…: the view's own handling
        return {}


def _without_nul(data: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key in data:
        clean.setlist(key.replace("\x00", "\ufffd"), [value.replace("\x00", "\ufffd") for value in data.getlist(key)])
    clean._mutable = False
    return clean


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


class RequestLogMiddleware:
    """One JSON line per request: method, path, status, duration. (Tracebacks go to stderr via django.request.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_log.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                }
            )
        )
        return response


class PermissionsPolicyMiddleware:
    """The browser features no page of ours uses, turned off for every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, a friendly 503 that asks to retry, instead of a 500 and a traceback.

    Connections are checked before reuse (CONN_HEALTH_CHECKS) and opened with a short connect timeout, so the app
    answers quickly while the database is down and recovers by itself, without a restart, once it is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)) or not _is_connection_problem(exception):
            return None
        return outage_response(request, exception)


def outage_response(request, exception) -> HttpResponse:
    """The friendly 503 ("Back shortly", Retry-After), logged with its reason."""
    outage_log.error("Database unavailable: %s %s: %s", request.method, request.path, exception)
    response = HttpResponse(render_to_string("503.html", request=request), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def _is_connection_problem(exception: DatabaseError) -> bool:
    """Tell "the server is gone" from a query that is merely wrong (which stays a 500, a bug to fix)."""
    if isinstance(exception, InterfaceError):
        return True
    text = str(exception).lower()
    return any(
        sign in text
        for sign in (
            "connection",
            "could not connect",
            "server closed",
            "terminating",
            "timeout",
            "timed out",
            "canceling statement",
            "stalled",
            "the database system is",
            "no such host",
            "unable to open database file",
            "database is locked",
        )
    )
