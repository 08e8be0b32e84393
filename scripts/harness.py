"""Shared by the fault and scale-out drills (db_outage.py, two_processes.py): a throwaway PostgreSQL cluster, the app
under gunicorn with production settings, and a plain HTTP client with timeouts.

Everything lives in one temporary directory and is bounded in time; `close()` (called from `finally`) stops what was
started, by process id, and removes the directory. Loopback only.
"""

from __future__ import annotations

import glob
import http.client
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECRET_KEY = "drill-only-not-secret"
# Settings the drills control themselves: anything inherited from the caller's shell would change what they test.
_CLEARED = (
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CONN_MAX_AGE",
    "DATABASE_CONNECT_TIMEOUT",
    "WEB_CONCURRENCY",
    "PORT",
    "HOST",
    "GUNICORN_CMD_ARGS",
    "ALLOW_PER_PROCESS_CACHE",
    "TRACKER_PAGE_CACHE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(database_url: str, redis_url: str = "", **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off), as bin/start would see them, for one drill database."""
    env = {key: value for key, value in os.environ.items() if key not in _CLEARED}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "CONN_MAX_AGE": "60",  # production's default: persistent connections, checked before reuse
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def ensure_static(env: dict[str, str]) -> None:
    """The pages name hashed static files: without the manifest every page would be a 500."""
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        log("collectstatic (no manifest yet)")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0", timeout=180)


# ---------------------------------------------------------------------------------------------------------------
# A throwaway PostgreSQL cluster
# ---------------------------------------------------------------------------------------------------------------


def postgres_bindir() -> Path:
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found: set PG_BINDIR")


class Cluster:
    """A PostgreSQL cluster of our own: initdb in a temporary directory, on a free loopback port, trust auth.

    initdb and pg_ctl refuse to run as root, so as root they run as the postgres user (which owns the directory).
    """

    def __init__(self, workdir: Path, dbname: str = "tracker"):
        self.bindir = postgres_bindir()
        self.workdir = workdir
        self.datadir = workdir / "pgdata"
        self.logfile = workdir / "postgres.log"
        self.dbname = dbname
        self.port = free_port()
        self.running = False
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(workdir, owner.pw_uid, owner.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.dbname}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run(
            [*self._as_user, *args], capture_output=True, text=True, timeout=timeout, cwd=self.workdir
        )
        if result.returncode != 0:
            tail = self.logfile.read_text()[-2000:] if self.logfile.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n{tail}")

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        # A test cluster: durability is not the point, speed is. Its own socket directory, loopback TCP only.
        with open(self.datadir / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.workdir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 40\n"
                "shared_buffers = 32MB\n"
            )

    def start(self) -> None:
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.logfile), "-w", "-t", "30", "start"
        )
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", mode, "-w", "-t", "30", "stop")
        self.running = False

    def create_database(self) -> None:
        self._run(str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.dbname)

    def seeded(self, redis_url: str = "", **settings: str) -> dict[str, str]:
        """Start this cluster with the seed loaded, as `make run` would have it; the app's environment for it.

        Every drill begins the same way: a cluster, a database, static files, migrations, the demo data.
        """
        self.init()
        self.start()
        self.create_database()
        env = app_env(self.url, redis_url, **settings)
        ensure_static(env)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        return env

    def close(self) -> None:
        if self.running:
            try:
                self.stop("immediate")
            except Exception as error:  # noqa: BLE001 — cleanup goes on
                log(f"could not stop the cluster: {error}")


# ---------------------------------------------------------------------------------------------------------------
# The app under gunicorn
# ---------------------------------------------------------------------------------------------------------------


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py tracker.wsgi`, as bin/start runs it, on a loopback port of its own."""

    def __init__(self, workdir: Path, env: dict[str, str], name: str = "app", workers: int = 2):
        self.port = free_port()
        self.name = name
        self.logfile = workdir / f"gunicorn-{name}.log"
        self.env = env
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def start(self, ready_timeout: float = 30) -> None:
        with open(self.logfile, "ab") as out:
            self.process = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "-c",
                    str(ROOT / "gunicorn.conf.py"),
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--no-control-socket",
                    "tracker.wsgi",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited ({self.process.returncode}):\n{self.log_tail()}")
            answer = get(self.port, "/healthz", timeout=2)
            if answer.status == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn {self.name} not ready after {ready_timeout} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        return self.logfile.read_text(errors="replace")[-chars:] if self.logfile.exists() else ""

    def close(self) -> None:
        """TERM to the master (it stops its workers gracefully), KILL to its process group if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group gunicorn leads (start_new_session)
            self.process.wait(timeout=5)


# ---------------------------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    path: str
    started: float  # time.monotonic()
    elapsed: float
    status: int = 0  # 0: no HTTP answer at all (error says why)
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    error: str = ""


def get(
    port: int,
    path: str,
    *,
    timeout: float = 5,
    method: str = "GET",
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request on a fresh connection; never raises, never waits longer than `timeout` per socket operation."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        # One host name whatever the app server's port, as the reverse proxy sends it (`proxy_set_header Host
        # $host`): the page cache keys on the host (tracker/caching.py).
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        return Answer(
            path,
            started,
            time.monotonic() - started,
            response.status,
            text,
            {name.lower(): value for name, value in response.getheaders()},
            cookies,
        )
    except (OSError, http.client.HTTPException) as error:
        return Answer(path, started, time.monotonic() - started, error=f"{type(error).__name__}: {error}")
    finally:
        connection.close()


class Workdir:
    """A temporary directory, removed on close (the cluster inside is stopped first by its owner)."""

    def __init__(self, prefix: str):
        self.path = Path(tempfile.mkdtemp(prefix=prefix))

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
