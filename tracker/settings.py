"""Settings for the Japan–US commitments tracker: one module, read from the environment."""

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def envbool(name: str, default: str) -> bool:
    """On or off; anything else (a typo) refuses to start rather than silently meaning off. Empty: the default."""
    value = (os.getenv(name) or default).strip().lower()
    if value not in TRUE_WORDS + FALSE_WORDS:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(TRUE_WORDS + FALSE_WORDS)}, not {value!r}.")
    return value in TRUE_WORDS


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envint(name: str, default: int) -> int:
    value = os.getenv(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key is harmless because DEBUG never runs in public.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "tracker",
]

MIDDLEWARE = [
    "tracker.middleware.RequestLogMiddleware",
    # 405 for anything but GET/HEAD on public URLs, 400 for a NUL in a parameter: before any view or CSRF check.
    "tracker.middleware.RequestGuardMiddleware",
    # A database that stops answering mid-query: the wait is broken off and the request answers 503 (deadlines.py).
    "tracker.deadlines.DatabaseDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tracker.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL alone (/ja/… is Japanese, everything else English): never from a cookie or
    # the Accept-Language header, so one cached copy of a URL serves every reader (tracker/caching.py).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tracker.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin logins: after AXES_FAILURE_LIMIT failures for one username from one address, locked for an hour.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A username longer than any user's (a 100 KB one) is counted under its first 150 characters, never stored whole.
AXES_USERNAME_CALLABLE = "tracker.middleware.lockout_username"
# After logging in, a `next` that points elsewhere (another site) is dropped: go to the admin's index.
LOGIN_REDIRECT_URL = "/admin/"
# Behind a reverse proxy every request comes from the proxy's address: count login failures by the client's
# address, which the proxy puts in X-Real-IP — believed only from the proxies listed here (docs/deploy.md), so that
# neither everyone behind the proxy is locked out together nor a forged header from elsewhere is trusted.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1,::1")
AXES_CLIENT_IP_CALLABLE = "tracker.middleware.client_ip_behind_proxy"

# A pasted source text up to 10 MB reaches the form, which refuses one over its limit with the text kept
# (tracker/forms.py); nginx's client_max_body_size is the same 10 MB (docs/deploy.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Imports are all or nothing, and only for those who may add what they import.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# The benchmark's yardstick view (bench/run.py) is routed only under BENCH_BASELINE=1: tracker/bench_urls.py.
BENCH_BASELINE = envbool("BENCH_BASELINE", "off")
ROOT_URLCONF = "tracker.bench_urls" if BENCH_BASELINE else "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The editors' translations (|tr, |tr_text, {% quote_translation %}) on every page.
            "builtins": ["tracker.templatetags.translated"],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Every wait on the database is bounded, well below gunicorn's timeout (tracker/deadlines.py, docs/deploy.md).
# A management command (migrate, an import, the scale dataset) is not a page: its statements get longer (10 min).
_COMMAND = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
DATABASE_STATEMENT_TIMEOUT = envint(
    "DATABASE_COMMAND_STATEMENT_TIMEOUT" if _COMMAND else "DATABASE_STATEMENT_TIMEOUT", 600 if _COMMAND else 5
)  # seconds
DATABASE_ADMIN_STATEMENT_TIMEOUT = envint("DATABASE_ADMIN_STATEMENT_TIMEOUT", 20)  # admin saves and imports
DATABASE_LOCK_TIMEOUT = envint("DATABASE_LOCK_TIMEOUT", 3)
DATABASE_IDLE_IN_TRANSACTION_TIMEOUT = envint("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", 30)
DATABASE_CLIENT_DEADLINE = envbool("DATABASE_CLIENT_DEADLINE", "true")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast while the database is down (pages answer 503 within seconds, never hang), then reconnect by
    # themselves: CONN_HEALTH_CHECKS discards a dead connection before it is reused.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": envint("DATABASE_CONNECT_TIMEOUT", 3),
            # The server cancels a query, a wait for a lock, or a transaction left idle, past these.
            "options": (
                f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
                f" -c lock_timeout={DATABASE_LOCK_TIMEOUT * 1000}"
                f" -c idle_in_transaction_session_timeout={DATABASE_IDLE_IN_TRANSACTION_TIMEOUT * 1000}"
            ),
            # A connection whose peer vanished (a machine gone, a network cut) is noticed within about 20 s.
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 2,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the browser tests' live server then gives each of its threads its own connection
    # (an in-memory database shares one connection, which breaks under concurrent requests).
    # One file per test run, so that two runs at once do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"tracker-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, keeping one client per process (docs/performance.md: +10–15 % on cached pages).
            "BACKEND": "tracker.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A lost or hanging Redis costs half a second once, then tracker/caching.py's circuit breaker leaves it
            # alone for a while and pages render uncached at their usual speed. (A Redis next to the app answers
            # in well under a millisecond.)
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The whole-page cache of the public pages (tracker/caching.py). Off: every request renders, with the same ETags and
# headers; the benchmark's uncached runs (bench/run.py) and profiling use it.
TRACKER_PAGE_CACHE = envbool("TRACKER_PAGE_CACHE", "on")
# What pages share under the data version (the index's facet counts, the actors): tracker.caching.kept_for_this_version.
# Off only to measure (bench/run.py measures the index both ways).
TRACKER_DATA_CACHE = envbool("TRACKER_DATA_CACHE", "on")
# A commitment with no event (and no editor's check) for this many days needs review.
TRACKER_REVIEW_AFTER_DAYS = envint("TRACKER_REVIEW_AFTER_DAYS", 90)
# The read API (/api/v1/): requests a minute from one client address before a 429 (tracker/api/limits.py).
TRACKER_API_RATE_LIMIT = envint("TRACKER_API_RATE_LIMIT", 120)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# English at the root, Japanese under /ja/ (tracker/urls.py); the interface's Japanese is in locale/ (README).
LANGUAGES = [("en-gb", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# No inline script or style anywhere: htmx is loaded from our own static file.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Everything to stderr: one JSON line per request (tracker.requests), errors with their tracebacks
# (django.request). Tracebacks never reach a response: DEBUG is off in production.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "message": {"format": "%(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "loggers": {
        "tracker.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        # runserver's own access line would repeat ours
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": os.getenv("LOG_LEVEL", "INFO")},
}

# The corrections log quotes the editor's reason for each correction in full (simple-history's default is 100
# characters).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
