"""gunicorn's settings in production: `bin/start` runs `gunicorn -c gunicorn.conf.py tracker.wsgi`.

Everything that differs between machines comes from the environment (see docs/deploy.md). Options given on the
command line win over this file (the drills in scripts/ pass --workers and --bind).
"""

import os

# Where to listen: the loopback interface unless told otherwise, so that only a reverse proxy on the same machine
# reaches gunicorn (its sync workers must never face slow clients directly: docs/deploy.md). With the proxy on
# another machine, HOST is the app server's private address, firewalled to the proxy. PaaS platforms give PORT.
bind = [f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"]

# Sync workers: one request at a time each, the reverse proxy buffers slow clients. The classic starting point is
# 2 × cores + 1; WEB_CONCURRENCY overrides it. Each worker keeps one PostgreSQL connection open (CONN_MAX_AGE), so
# workers × processes must stay below the server's max_connections.
workers = int(os.getenv("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"

# A request that takes longer than this is a bug or a stuck database: the worker is killed and replaced.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (a deploy, a scale-down) workers finish the requests they hold, for up to this long. Below the usual
# 30 s an orchestrator waits before it kills.
graceful_timeout = int(os.getenv("GUNICORN_GRACEFUL_TIMEOUT", "20"))

# Off by default: recycling a worker every N requests bounds a slow memory leak, but a fresh worker renders its
# first pages cold (templates compiled again), and at cached-page rates N requests go by in seconds. Set it (say
# 50000, staggered by 10 %) if a worker's memory is seen to grow.
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# Load Django once in the master, then fork: less memory, faster worker (re)starts, and a broken configuration (no
# SECRET_KEY, say) stops gunicorn before it forks anything. Django opens no database or cache connection at import,
# so no connection is shared across the fork. New code needs a restart, not a HUP.
preload_app = True

# Logs go to stderr. No access log: the app writes one JSON line per request itself (logger tracker.requests).
accesslog = None
errorlog = "-"
loglevel = os.getenv("GUNICORN_LOG_LEVEL", "info")

# gunicorn ≥ 25 opens a control socket at ~/.gunicorn/gunicorn.ctl by default: one fixed path per user, which two
# instances on one machine would fight over. Not used here.
control_socket_disable = True

# The workers' heartbeat files: in memory where possible (a disk-backed /tmp can stall them).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def on_starting(server):
    """Refuse to start several workers on a per-process cache: each would keep its own copy of the pages and its own
    data version, so an edit saved by one worker would not show on the others' pages for up to a day."""
    if server.cfg.workers > 1 and not os.getenv("REDIS_URL") and os.getenv("ALLOW_PER_PROCESS_CACHE") != "1":
        raise SystemExit(
            f"REDIS_URL is not set but gunicorn would start {server.cfg.workers} workers: every worker would cache "
            "pages on its own and serve stale ones after an edit. Set REDIS_URL (docs/deploy.md), or WEB_CONCURRENCY=1."
        )
