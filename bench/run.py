#!/usr/bin/env python3
"""Load-test the tracker at scale, on PostgreSQL and then SQLite: `.venv/bin/python bench/run.py [--quick]`.

For each database it creates a fresh database (PostgreSQL: its own, `tracker_bench`; SQLite: a temporary file),
migrates, loads the seed fixtures and the synthetic scale dataset (`generate_scale_data --append`), then starts
the app under gunicorn with production settings (DEBUG off, manifest static files through WhiteNoise, Redis as the
cache, the project's gunicorn.conf.py) and drives it with wrk from its own process, on 127.0.0.1 only:

- a bare baseline view (`/bench/baseline/`, routed only under BENCH_BASELINE=1) and a static file (htmx);
- the public pages with the whole-page cache on (repeated GETs of one URL: CACHED), then, on a second server
  started with TRACKER_PAGE_CACHE=off, the same pages rendered on every request (UNCACHED);

each at 16 and 64 connections for a bounded time. It reports requests/s, p50 and p99 latency, errors (non-2xx
responses, from wrk and from the app's request log, and socket errors) and the ratio to the baseline's
requests/s; the HTML size of every page and the scripts it loads; and, on PostgreSQL, the EXPLAIN ANALYZE of the
full-text search. The tables are printed and written to bench/results/latest.md (bench/results/ is gitignored).

Every load is bounded: wrk runs for --duration seconds per measurement, waits are capped, and the script stops
every process it started, whatever happens. Nothing leaves 127.0.0.1.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "report.lua"
HOST = "127.0.0.1"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
CONNECTIONS = (16, 64)
PAGE_LIMIT = 60 * 1024  # every page's HTML under 60 KB before compression

# The targets (scale dataset, PostgreSQL, 2 cores), checked at the end of each database's run.
BASELINE_RPS = 3000
BASELINE_P99_MS = 10
CACHED_RATIO, CACHED_P99_MS = 0.7, 50
UNCACHED_RATIO, UNCACHED_P99_MS = 0.1, 150
UNCACHED_TARGET_PAGES = ("index", "index filtered", "index search", "detail", "detail (largest)", "timeline")
# Issue 16, uncached on PostgreSQL at 16 connections: the index ≥ 4× its req/s before (docs/performance.md, 21 November
# 2026) with p99 < 100 ms; the other pages p99 < 50 ms.
INDEX_BEFORE_RPS = {"index": 47, "index filtered": 65, "index search": 41}
INDEX_GAIN, INDEX_P99_MS = 4.0, 100
FAST_PAGES, FAST_P99_MS = ("detail", "detail (largest)", "timeline", "feed", "sources list"), 50

# The peer (issue 16): Datasette on the same SQLite file, in its own virtualenv (bench/requirements.txt), never a
# dependency of the tracker. The same list as the index: the commitments table, facets on kind, status, formality,
# pledged by, pledged to, nature and unit (every value, as the index lists every value), 25 rows by deadline.
PEER_VENV = ROOT / "bench" / ".venv-peer"
PEER_REQUIREMENTS = ROOT / "bench" / "requirements.txt"
PEER_RATIO = 3.0  # our index, plain and filtered, at least 3× the peer's req/s
PEER_FACETS = "".join(
    f"&_facet={column}"
    for column in ("kind", "status", "formality", "pledged_by_id", "pledged_to_id", "nature", "unit")
)
PEER_PAGES = (
    ("index", "/commitments/", f"/bench/tracker_commitment?_sort=deadline&_size=25&_facet_size=max{PEER_FACETS}"),
    (
        "index filtered",
        "/commitments/?kind=purchase&status=in_the_works",
        f"/bench/tracker_commitment?kind=purchase&status=in_the_works&_sort=deadline&_size=25&_facet_size=max"
        f"{PEER_FACETS}",
    ),
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = run([PYTHON, "manage.py", *args], env, capture_output=capture, text=True)
    return result.stdout if capture else ""


def loadavg() -> float:
    return os.getloadavg()[0]


# ---------------------------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() != 0:
        sys.exit("wrk is not installed: sudo apt-get install wrk (Debian's package), then run again.")
    log("installing wrk (Debian package)")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
    )
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 30, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


# ---------------------------------------------------------------------------------------------------------------
# Databases
# ---------------------------------------------------------------------------------------------------------------


def fresh_postgresql(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def drop_postgresql(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# ---------------------------------------------------------------------------------------------------------------
# The app server
# ---------------------------------------------------------------------------------------------------------------


class Server:
    """gunicorn in its own process group, its stderr (the app's request log) in a file read per measurement."""

    def __init__(self, env: dict, workers: int, worker_class: str, threads: int, log_path: Path, max_requests: int = 0):
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        args = [PYTHON, "-m", "gunicorn"]
        if (ROOT / "gunicorn.conf.py").exists():
            args += ["-c", "gunicorn.conf.py"]
        args += [
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--max-requests",
            str(max_requests),
            "--no-control-socket",
            "tracker.wsgi:application",
        ]
        self.log_file = open(log_path, "wb")  # noqa: SIM115 — kept open for gunicorn, closed in stop()
        self.process = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: see {log_path}")
            with contextlib.suppress(OSError):
                if fetch(f"{self.base}/bench/baseline/", timeout=2)[0] == 200:
                    return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within 60 s: see {log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log_file.close()

    def log_offset(self) -> int:
        self.log_file.flush()
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> bytes:
        with open(self.log_path, "rb") as file:
            file.seek(offset)
            return file.read()

    def drain(self, limit: float = 180) -> None:
        """Wait until requests still queued from the last load (wrk stops; the workers do not) are done."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            started = time.monotonic()
            with contextlib.suppress(OSError):
                fetch(f"{self.base}/bench/baseline/", timeout=limit)
            if time.monotonic() - started < 0.05:
                return
        log("  the server was still busy after the drain limit")


def ensure_peer() -> Path:
    """Datasette, pinned in bench/requirements.txt, in a virtualenv of its own (made on first use)."""
    datasette = PEER_VENV / "bin" / "datasette"
    if not datasette.exists():
        log(f"installing the peer ({PEER_REQUIREMENTS.read_text().split()[-1]}) into {PEER_VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [str(PEER_VENV / "bin" / "pip"), "install", "-q", "-r", str(PEER_REQUIREMENTS)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return datasette


class PeerServer(Server):
    """Datasette serving the benchmark's SQLite file (one process), with the same measurement hooks as Server."""

    def __init__(self, datasette: Path, database: str, log_path: Path):  # noqa: PLW0231 — its own start-up
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        args = [
            str(datasette),
            "serve",
            database,
            "--host",
            HOST,
            "--port",
            str(self.port),
            # No suggested facets (the page would compute more than ours); the time limits high enough that no
            # facet or count is dropped for taking long: both servers do the whole work on every request.
            *("--setting", "suggest_facets", "off"),
            *("--setting", "facet_time_limit_ms", "20000"),
            *("--setting", "sql_time_limit_ms", "20000"),
        ]
        self.log_file = open(log_path, "wb")  # noqa: SIM115 — kept open for the server, closed in stop()
        self.process = subprocess.Popen(
            args, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"datasette exited with {self.process.returncode}: see {log_path}")
            with contextlib.suppress(OSError):
                if fetch(f"{self.base}/-/versions.json", timeout=2)[0] == 200:
                    return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"datasette did not answer within 60 s: see {log_path}")

    def drain(self, limit: float = 180) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            started = time.monotonic()
            with contextlib.suppress(OSError):
                fetch(f"{self.base}/-/versions.json", timeout=limit)
            if time.monotonic() - started < 0.05:
                return


def bench_peer(kind: str, env: dict, database: str, args, wrk: str, log_dir: Path) -> list[dict]:
    """Our index (one gunicorn worker, the page cache off: every request renders; the facet counts kept under the
    data version, then not even those) against Datasette (one process) on the same SQLite file, the same
    connections, alternating so that both see the same machine."""
    datasette = ensure_peer()
    rows = []
    for data_cache in ("on", "off"):
        ours = Server(
            {**env, "TRACKER_PAGE_CACHE": "off", "TRACKER_DATA_CACHE": data_cache},
            1,
            "sync",
            1,
            log_dir / f"gunicorn-{kind}-peer-{data_cache}.log",
            args.max_requests,
        )
        peer = PeerServer(datasette, database, log_dir / f"datasette-{kind}.log")
        try:
            for name, our_url, peer_url in PEER_PAGES:
                for server, url in ((ours, our_url), (peer, peer_url)):
                    status, body, _ = fetch(server.base + url, timeout=120)
                    if status != 200:
                        raise RuntimeError(f"{server.base + url} answered {status}")
                    fetch(server.base + url, timeout=120)
                mine = measure(wrk, ours, our_url, args.peer_connections, args.duration)
                theirs = measure(wrk, peer, peer_url, args.peer_connections, args.duration)
                row = {"name": name, "data_cache": data_cache, "ours": mine, "peer": theirs, "url": peer_url}
                log(
                    f"  peer {name:<15} data cache {data_cache:<3} ours {mine.rps:6.1f} req/s p99 {mine.p99_ms:6.1f} ms"
                    f" | datasette {theirs.rps:6.1f} req/s p99 {theirs.p99_ms:6.1f} ms | {mine.rps / theirs.rps:.2f}×"
                )
                rows.append(row)
        finally:
            ours.stop()
            peer.stop()
    return rows


def worker_memory(server: Server) -> list[tuple[int, int]]:
    """(peak RSS, RSS) in KB of each gunicorn worker (the master's children), from /proc."""
    found = []
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
            rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            found.append((peak, rss))
    return found


def time_downloads(server: Server, urls: list[tuple[str, str]], repeats: int = 3) -> list[dict]:
    """Each download, one at a time: the time to its first byte and to its last (median of `repeats`), its size, and
    the workers' peak memory before and after."""
    timings = []
    for name, url in urls:
        if name not in DOWNLOADS:
            continue
        before = worker_memory(server)
        first, whole, size = [], [], 0
        for _ in range(repeats):
            started = time.monotonic()
            request = urllib.request.Request(server.base + url)
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read(1)
                first.append(time.monotonic() - started)
                size = 1 + len(response.read())
            whole.append(time.monotonic() - started)
        timings.append(
            {
                "name": name,
                "url": url,
                "bytes": size,
                "first_ms": sorted(first)[len(first) // 2] * 1000,
                "whole_ms": sorted(whole)[len(whole) // 2] * 1000,
                "peak_before_mb": max((peak for peak, _ in before), default=0) / 1024,
                "peak_after_mb": max((peak for peak, _ in worker_memory(server)), default=0) / 1024,
            }
        )
        log(f"  {name}: first byte {timings[-1]['first_ms']:.0f} ms, whole {timings[-1]['whole_ms']:.0f} ms")
    return timings


def downloads_table(results: dict) -> list[str]:
    lines = [
        "Downloads, uncached, one at a time (median of 3), and the workers' peak memory (VmHWM) before and after:",
        "",
        "| download | bytes | first byte ms | whole ms | worker peak MB before → after |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in results.get("downloads", []):
        lines.append(
            f"| {item['name']} | {item['bytes']:,} | {item['first_ms']:.0f} | {item['whole_ms']:.0f} | "
            f"{item['peak_before_mb']:.0f} → {item['peak_after_mb']:.0f} |"
        )
    return lines


def peer_table(results: dict, args) -> list[str]:
    lines = [
        f"Against the peer: Datasette on the same SQLite file, one process each, {args.peer_connections} connections, "
        "measured alternately; ours with the page cache off (every request renders), the facet counts kept under the "
        'data version ("on") or computed on every request ("off"). Datasette\'s URL: '
        f"`{PEER_PAGES[0][2]}`.",
        "",
        "| page | facet cache | × Datasette | ours req/s | ours p99 ms | Datasette req/s | Datasette p99 ms | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in results["peer"]:
        mine, theirs = row["ours"], row["peer"]
        lines.append(
            f"| {row['name']} | {row['data_cache']} | **{mine.rps / theirs.rps:.2f}** | {fmt_rps(mine.rps)} | "
            f"{mine.p99_ms:.1f} | {fmt_rps(theirs.rps)} | {theirs.p99_ms:.1f} | {mine.errors} / {theirs.errors} |"
        )
    return lines


STATUS = re.compile(rb'"status": (\d{3})')


def server_errors(text: bytes) -> tuple[int, int, int]:
    """(requests logged, non-2xx, tracebacks or worker timeouts) in a slice of the server's log."""
    statuses = STATUS.findall(text)
    bad = sum(1 for status in statuses if not status.startswith(b"2"))
    crashes = text.count(b"Traceback") + text.count(b"WORKER TIMEOUT")
    return len(statuses), bad, crashes


# ---------------------------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    detail: str = ""
    load: float = 0.0  # the 1-minute load average when the measurement ended


@dataclass
class Row:
    name: str
    cache: str  # "—" (not a page), "cached", "uncached"
    url: str
    results: dict = field(default_factory=dict)  # connections → Result


def measure(wrk: str, server: Server, url: str, connections: int, duration: int) -> Result:
    offset = server.log_offset()
    args = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "20s",
        "--latency",
        "-s",
        str(LUA),
        "-H",
        "Accept-Encoding: gzip",
        server.base + url,
    ]
    output = subprocess.run(args, capture_output=True, text=True, timeout=duration + 60).stdout
    match = re.search(r"BENCH-JSON (\{.*\})", output)
    if not match:
        raise RuntimeError(f"wrk said:\n{output}")
    data = json.loads(match.group(1))
    server.drain()
    logged, non2xx_logged, crashes = server_errors(server.log_since(offset))
    sockets = data["connect"] + data["read"] + data["write"] + data["timeout"]
    non2xx = max(data["status"], non2xx_logged)
    parts = []
    if non2xx:
        parts.append(f"{non2xx} non-2xx")
    if sockets:
        parts.append(
            f"socket: {data['connect']} connect, {data['read']} read, {data['write']} write, {data['timeout']} timeout"
        )
    if crashes:
        parts.append(f"{crashes} tracebacks/worker timeouts in the log")
    return Result(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=non2xx + sockets + crashes,
        detail="; ".join(parts),
        load=loadavg(),
    )


def measure_row(wrk: str, server: Server, row: Row, connections: tuple[int, ...], duration: int) -> None:
    for count in connections:
        result = measure(wrk, server, row.url, count, duration)
        row.results[count] = result
        log(
            f"  {row.name:<18} {row.cache:<8} c={count:<3} {result.rps:8.0f} req/s  p50 {result.p50_ms:7.1f} ms  "
            f"p99 {result.p99_ms:7.1f} ms  errors {result.errors}  (load {loadavg():.1f})"
        )


# ---------------------------------------------------------------------------------------------------------------
# One database
# ---------------------------------------------------------------------------------------------------------------

FIND_PAGES = """
from django.db.models import Count
from tracker.models import Commitment
rows = list(Commitment.objects.annotate(n=Count("updates", distinct=True) + Count("quotes", distinct=True))
            .order_by("-n", "slug").values_list("slug", "n"))
print(rows[0][0], rows[len(rows) // 2][0], rows[0][1], rows[len(rows) // 2][1])
"""


def pages(largest: str, median: str) -> list[tuple[str, str]]:
    return [
        ("overview", "/"),
        ("index", "/commitments/"),
        ("index filtered", "/commitments/?kind=purchase&status=in_the_works&sort=updated"),
        ("index search", "/commitments/?q=soybeans"),
        ("detail", f"/commitments/{median}/"),
        ("detail (largest)", f"/commitments/{largest}/"),
        ("timeline", "/timeline/"),
        ("feed", "/timeline/feed/"),
        ("csv export", "/commitments.csv"),
        ("json export", "/commitments.json"),
        ("sources list", "/sources/"),
        ("sources csv", "/sources.csv"),
        # The past, from the stored projection (tracker.history): each against the same page live (issue: ≥ 0.67×).
        ("overview as of", "/?as_of=2025-10-20"),
        ("index as of", "/commitments/?as_of=2025-10-20"),
        ("index filtered as of", "/commitments/?kind=purchase&status=in_the_works&sort=updated&as_of=2025-10-20"),
        ("detail as of", f"/commitments/{median}/?as_of=2025-10-20"),
        ("changes (30 days)", "/changes/?from=2025-10-01&to=2025-10-31"),
    ]


def check_pages(server: Server, urls: list[tuple[str, str]]) -> list[dict]:
    """Each page once: its status, HTML size and the scripts it loads."""
    sizes = []
    for name, url in urls:
        status, body, headers = fetch(server.base + url, timeout=120)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        html = "html" in headers.get("Content-Type", "")
        scripts = re.findall(rb"<script\b[^>]*>", body) if html else []
        sizes.append(
            {
                "name": name,
                "url": url,
                "bytes": len(body),
                "html": html,
                "scripts": [
                    re.search(rb'src="([^"]*)"', tag).group(1).decode() if b"src=" in tag else "inline"
                    for tag in scripts
                ],
            }
        )
    return sizes


DOWNLOADS = ("csv export", "json export", "sources csv")


def uncached_connections(name: str, args) -> tuple[int, ...]:
    """The connection counts an uncached page is measured at. A download of every commitment takes seconds to
    render: at 64 connections it would only measure the queue, then keep the workers busy for a minute after wrk
    stops. With --quick, uncached pages are measured at 16 connections only."""
    if args.quick or name in DOWNLOADS:
        return tuple(count for count in args.connections if count == 16)
    return args.connections


def explain_search(env: dict) -> str:
    return run([PYTHON, str(ROOT / "bench" / "explain.py")], env, capture_output=True, text=True).stdout


def bench_database(kind: str, args, wrk: str) -> dict:
    started = time.monotonic()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": args.redis_url,
        "BENCH_BASELINE": "1",
    }
    for name in ("TRACKER_PAGE_CACHE", "WEB_CONCURRENCY"):
        env.pop(name, None)
    temp = None
    if kind == "postgresql":
        env["DATABASE_URL"] = fresh_postgresql(args.pg_database)
    else:
        temp = tempfile.mkdtemp(prefix="tracker-bench-")
        env["DATABASE_URL"] = f"sqlite:///{temp}/bench.sqlite3"
    try:
        log(f"{kind}: migrate, seed fixtures, scale data (scale {args.scale}, seed {args.seed})")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "loaddata", "seed.json", "--verbosity", "0")
        t0 = time.monotonic()
        generated = manage(
            env, "generate_scale_data", "--append", "--scale", str(args.scale), "--seed", str(args.seed), capture=True
        ).strip()
        generation_s = time.monotonic() - t0
        log(f"  {generated} ({generation_s:.1f} s with the command's start-up)")
        largest, median, largest_n, median_n = manage(
            env, "shell", "--no-imports", "-c", FIND_PAGES, capture=True
        ).split()[-4:]
        flush_redis(args.redis_url)
        results = {
            "kind": kind,
            "generated": generated,
            "generation_s": generation_s,
            "rows": [],
            "load_before": loadavg(),
            "largest": (largest, int(largest_n)),
            "median": (median, int(median_n)),
        }
        urls = pages(largest, median)
        if args.pages:
            wanted = {name.strip() for name in args.pages.split(",")}
            urls = [(name, url) for name, url in urls if name in wanted]
        log_dir = Path(temp or tempfile.gettempdir())
        # Cached pages, the baseline and the static file.
        server = Server(
            env,
            args.workers,
            args.worker_class,
            args.threads,
            log_dir / f"gunicorn-{kind}-cached.log",
            args.max_requests,
        )
        try:
            results["sizes"] = check_pages(server, urls)
            htmx = next(s for s in results["sizes"][0]["scripts"] if "htmx" in s)
            baseline = Row("baseline", "—", "/bench/baseline/")
            static = Row("static (htmx)", "—", htmx)
            for row in (baseline, static):
                measure_row(wrk, server, row, args.connections, args.duration)
            results["rows"] += [baseline, static]
            for name, url in urls:
                fetch(server.base + url, timeout=120)  # in the cache before the load
                row = Row(name, "cached", url)
                measure_row(wrk, server, row, args.connections, args.duration)
                results["rows"].append(row)
        finally:
            server.stop()
        # Uncached: every request renders.
        env_uncached = {**env, "TRACKER_PAGE_CACHE": "off"}
        server = Server(
            env_uncached,
            args.workers,
            args.worker_class,
            args.threads,
            log_dir / f"gunicorn-{kind}-uncached.log",
            args.max_requests,
        )
        try:
            results["downloads"] = time_downloads(server, urls)
            for name, url in urls:
                for _ in range(2):  # the templates compiled and the connections open in both workers
                    fetch(server.base + url, timeout=120)
                row = Row(name, "uncached", url)
                measure_row(wrk, server, row, uncached_connections(name, args), args.duration)
                results["rows"].append(row)
        finally:
            server.stop()
        if kind == "sqlite" and not args.no_peer:
            results["peer"] = bench_peer(kind, env, f"{temp}/bench.sqlite3", args, wrk, log_dir)
        if kind == "postgresql":
            results["explain"] = explain_search(env)
        results["load_after"] = loadavg()
        results["seconds"] = time.monotonic() - started
        return results
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
        if kind == "postgresql" and not args.keep:
            drop_postgresql(args.pg_database)


# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------


def fmt_rps(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def table(results: dict, connections: tuple[int, ...]) -> list[str]:
    baseline = next(row for row in results["rows"] if row.name == "baseline")
    head = (
        "| page | cache | "
        + " | ".join(f"req/s @{c} | p50 ms | p99 ms | errors | × baseline" for c in connections)
        + " |"
    )
    lines = [head, "|" + " --- |" * (2 + 5 * len(connections))]
    for row in results["rows"]:
        cells = [row.name, row.cache]
        for count in connections:
            result = row.results.get(count)
            if result is None:
                cells += ["—"] * 5
                continue
            ratio = result.rps / baseline.results[count].rps
            cells += [
                fmt_rps(result.rps),
                f"{result.p50_ms:.1f}",
                f"{result.p99_ms:.1f}",
                str(result.errors),
                f"{ratio:.2f}",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [
        f"- {row.name} ({row.cache}) @{count}: {result.detail}"
        for row in results["rows"]
        for count, result in row.results.items()
        if result.detail
    ]
    if notes:
        lines += ["", "Errors:", *notes]
    return lines


def sizes_table(results: dict) -> list[str]:
    lines = ["| page | URL | bytes | KB | under 60 KB | scripts |", "| --- | --- | --- | --- | --- | --- |"]
    for size in results["sizes"]:
        if not size["html"]:
            lines.append(
                f"| {size['name']} | `{size['url']}` | {size['bytes']:,} | {size['bytes'] / 1024:.1f} | "
                "(not HTML) | — |"
            )
            continue
        scripts = ", ".join(Path(src).name for src in size["scripts"]) or "none"
        ok = "yes" if size["bytes"] < PAGE_LIMIT else "**no**"
        lines.append(
            f"| {size['name']} | `{size['url']}` | {size['bytes']:,} | {size['bytes'] / 1024:.1f} | {ok} | {scripts} |"
        )
    return lines


def targets(results: dict, workers: int) -> list[str]:
    rows = {(row.name, row.cache): row for row in results["rows"]}
    base = rows[("baseline", "—")].results
    lines = []

    def check(ok: bool, text: str):
        lines.append(f"- {'met' if ok else '**missed**'}: {text}")

    b16 = base[16]
    check(
        b16.rps >= BASELINE_RPS * 0.9 and b16.p99_ms < BASELINE_P99_MS,
        f"bare view ≈ {BASELINE_RPS:,} req/s, p99 < {BASELINE_P99_MS} ms @16: {b16.rps:,.0f} req/s, p99 {b16.p99_ms:.1f} ms",
    )
    if 64 in base:
        noisy = [
            f"{row.name} ({row.cache})"
            for row in results["rows"]
            if row.cache != "uncached" and 64 in row.results and row.results[64].errors
        ]
        check(
            not noisy,
            "zero errors at 64 connections (baseline, static, cached pages)"
            + (f": errors on {', '.join(noisy)}" if noisy else ""),
        )
        noisy = [
            f"{row.name}"
            for row in results["rows"]
            if row.cache == "uncached" and 64 in row.results and row.results[64].errors
        ]
        lines.append(f"- uncached pages with errors at 64 connections: {', '.join(noisy) or 'none'}")
    for row in results["rows"]:
        result = row.results.get(16)
        if row.cache == "cached" and row.name in DOWNLOADS:
            lines.append(
                f'- (no target) {row.name} "cached": streamed, so rendered on every request (only a download under '
                f"64 KB is kept whole), {result.rps:,.0f} req/s"
            )
        elif row.cache == "cached":
            ratio = result.rps / b16.rps
            check(
                ratio >= CACHED_RATIO and result.p99_ms < CACHED_P99_MS,
                f"{row.name} cached ≥ {CACHED_RATIO}× baseline, p99 < {CACHED_P99_MS} ms @16: {ratio:.2f}×, p99 {result.p99_ms:.1f} ms",
            )
        if row.cache == "uncached" and row.name in INDEX_BEFORE_RPS:
            gain = result.rps / INDEX_BEFORE_RPS[row.name]
            check(
                gain >= INDEX_GAIN and result.p99_ms < INDEX_P99_MS,
                f"(issue 16) {row.name} uncached ≥ {INDEX_GAIN}× its {INDEX_BEFORE_RPS[row.name]} req/s before, p99 < "
                f"{INDEX_P99_MS} ms @16: {gain:.1f}× ({result.rps:,.0f} req/s), p99 {result.p99_ms:.1f} ms",
            )
        if row.cache == "uncached" and row.name in FAST_PAGES:
            check(
                result.p99_ms < FAST_P99_MS,
                f"(issue 16) {row.name} uncached p99 < {FAST_P99_MS} ms @16: {result.p99_ms:.1f} ms "
                f"({result.rps:,.0f} req/s)",
            )
        if row.cache == "uncached" and row.name in UNCACHED_TARGET_PAGES:
            ratio = result.rps / b16.rps
            check(
                ratio >= UNCACHED_RATIO and result.p99_ms < UNCACHED_P99_MS,
                f"{row.name} uncached ≥ {UNCACHED_RATIO}× baseline, p99 < {UNCACHED_P99_MS} ms @16: {ratio:.2f}×, "
                f"p99 {result.p99_ms:.1f} ms ({1000 / result.rps * workers:.1f} ms of a worker per request)",
            )
    return lines


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory = f", {int(Path('/proc/meminfo').read_text().split()[1]) / 1024**2:.0f} GiB"
    versions = {}
    for name, command in (("python", [PYTHON, "--version"]), ("wrk", ["wrk", "--version"])):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(command, capture_output=True, text=True, timeout=10)
            versions[name] = (out.stdout or out.stderr).split("\n")[0].strip()
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}; "
        f"{versions.get('python', '')}; {versions.get('wrk', '')}"
    )


def report(all_results: list[dict], args, started: float) -> str:
    lines = [
        f"# Benchmark results — {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        "",
        f"- machine: {machine()}",
        f"- command: `bench/run.py {' '.join(sys.argv[1:])}`; {args.duration} s per measurement, wrk 1 thread, "
        f"connections {', '.join(map(str, args.connections))}; gunicorn {args.workers} {args.worker_class} workers"
        + (f" × {args.threads} threads" if args.threads > 1 else "")
        + f", max-requests {args.max_requests or 'off'}; Redis cache; whole run "
        f"{(time.monotonic() - started) / 60:.1f} min",
    ]
    for results in all_results:
        lines += [
            "",
            f"## {results['kind']}",
            "",
            f"Data: {results['generated']} (generation {results['generation_s']:.1f} s), on top of the seed fixtures. "
            f"Detail pages: `{results['median'][0]}` (median: {results['median'][1]} updates + quotes) and "
            f"`{results['largest'][0]}` (largest: {results['largest'][1]}). Load average (1 min) before: "
            f"{results['load_before']:.1f}, after: {results['load_after']:.1f}, at the end of each measurement: "
            f"{min(r.load for row in results['rows'] for r in row.results.values()):.1f}–"
            f"{max(r.load for row in results['rows'] for r in row.results.values()):.1f} (2 cores: above 2, other "
            f"processes were competing). Took {results['seconds'] / 60:.1f} min.",
            "",
            *(peer_table(results, args) + [""] if results.get("peer") else []),
            *(downloads_table(results) + [""] if results.get("downloads") else []),
            *table(results, args.connections),
            "",
            "Targets:",
            "",
            *targets(results, args.workers),
            "",
            "Page sizes (HTML before compression):",
            "",
            *sizes_table(results),
        ]
        if results.get("explain"):
            used = ", ".join(
                f"{name} {'used' if name in results['explain'] else '**not used**'}"
                for name in ("commitment_search_gin", "quote_search_gin")
            )
            lines += [
                "",
                f"EXPLAIN ANALYZE of the full-text search (`/commitments/?q=soybeans`): {used}.",
                "",
                "```",
                results["explain"].rstrip(),
                "```",
            ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="2 s per measurement instead of 6, uncached pages at 16 connections only"
    )
    parser.add_argument("--duration", type=int, help="seconds per measurement (default 6, 2 with --quick)")
    parser.add_argument("--databases", default="postgresql,sqlite", help="comma-separated: postgresql, sqlite")
    parser.add_argument("--connections", default=",".join(map(str, CONNECTIONS)), help="comma-separated")
    parser.add_argument("--scale", type=float, default=1.0, help="scale of the dataset (generate_scale_data --scale)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="gunicorn's --max-requests (default 0: workers are not recycled; see docs/performance.md)",
    )
    parser.add_argument("--pg-database", default=os.getenv("BENCH_PG_DATABASE", "tracker_bench"))
    parser.add_argument(
        "--redis-url",
        default=os.getenv("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"),
        help="a Redis database of the benchmark's own: it is flushed",
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--no-peer", action="store_true", help="leave out Datasette (measured on SQLite only)")
    parser.add_argument("--peer-connections", type=int, default=4, help="connections against each, ours and the peer")
    parser.add_argument(
        "--pages",
        default="",
        help="comma-separated page names to measure (default: all), e.g. 'index,index filtered,index search'",
    )
    parser.add_argument("--output", default=str(RESULTS / "latest.md"))
    args = parser.parse_args()
    args.duration = args.duration or (2 if args.quick else 6)
    args.connections = tuple(int(c) for c in args.connections.split(","))
    if 16 not in args.connections:
        parser.error("the targets are read at 16 connections: keep 16 in --connections")
    started = time.monotonic()
    wrk = ensure_wrk()
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-only-not-secret", "SECURE_SSL_REDIRECT": "0"}
    log("collectstatic (manifest and compressed copies, as in production)")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    all_results = []
    for kind in args.databases.split(","):
        all_results.append(bench_database(kind.strip(), args, wrk))
    text = report(all_results, args, started)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print()
    print(text)
    log(f"written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    main()
