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


def uncached_connections(name: str, args) -> tuple[int, ...]:
    """The connection counts an uncached page is measured at. A download of every commitment takes seconds to
    render: at 64 connections it would only measure the queue, then keep the workers busy for a minute after wrk
    stops. With --quick, uncached pages are measured at 16 connections only."""
    if args.quick or name == "csv export":
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
            for name, url in urls:
                for _ in range(2):  # the templates compiled and the connections open in both workers
                    fetch(server.base + url, timeout=120)
                row = Row(name, "uncached", url)
                measure_row(wrk, server, row, uncached_connections(name, args), args.duration)
                results["rows"].append(row)
        finally:
            server.stop()
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
        if row.cache == "cached" and row.name == "csv export":
            lines.append(
                f"- (no target) csv export cached: a {next(s for s in results['sizes'] if s['name'] == 'csv export')['bytes'] / 1e6:.1f} MB download, "
                f"{result.rps:,.0f} req/s — its cost is the bytes"
            )
        elif row.cache == "cached":
            ratio = result.rps / b16.rps
            check(
                ratio >= CACHED_RATIO and result.p99_ms < CACHED_P99_MS,
                f"{row.name} cached ≥ {CACHED_RATIO}× baseline, p99 < {CACHED_P99_MS} ms @16: {ratio:.2f}×, p99 {result.p99_ms:.1f} ms",
            )
        elif row.cache == "uncached" and row.name in UNCACHED_TARGET_PAGES:
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
