#!/usr/bin/env python
"""Fault drill: the database goes away under load, then comes back.

A throwaway PostgreSQL cluster (initdb on a free loopback port), migrated and seeded; the app under gunicorn with
production settings (gunicorn.conf.py, 2 workers); two threads reading a commitment page with the page cache
off (TRACKER_PAGE_CACHE=off, so that every request needs the database) and one polling /healthz. Meanwhile:

1. the cluster is stopped (`pg_ctl stop -m fast`): connections are refused;
2. then, still down, its port is taken by a socket that accepts connections and never answers — a database that
   hangs (a stuck server, a network that drops packets): only `connect_timeout` (3 s) stops the wait;
3. then the cluster is started again (`pg_ctl start`).

What must hold:
- every answer is 200 or 503, never a 500 or a dropped connection, and none hangs: each within 5 s — within
  2 × connect_timeout + 1 s while the database hangs, when a request can queue behind another's timeout (two sync
  workers, three clients) — and the app itself never spends more than connect_timeout + 1 s on one;
- while the database is down, every page is the friendly 503 (no traceback, Retry-After) and /healthz answers 503
  with "database": "down";
- once it is back the app recovers by itself, without a restart, within a few seconds.

Run it with `.venv/bin/python scripts/db_outage.py` (about 30 s); tracker/tests/test_db_outage.py runs it in CI.
Everything is stopped and removed at the end, whatever happens.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Answer, Cluster, Gunicorn, Workdir, get, log  # noqa: E402

PAGE = "/commitments/defence-2pct-gdp/"
PAGE_TITLE = "Defence spending"  # on the page when it is served from the database
FRIENDLY = "Back shortly"  # templates/503.html
CONNECT_TIMEOUT = 3  # seconds: DATABASE_CONNECT_TIMEOUT, settings.py's default
MAX_LATENCY = 5.0  # seconds: an answer slower than this counts as a hang
MAX_LATENCY_WHILE_HANGING = 2 * CONNECT_TIMEOUT + 1.0
MAX_SERVER_SECONDS = CONNECT_TIMEOUT + 1.0  # the longest the app may work on one request
MAX_RECOVERY = 10.0  # seconds after the restart within which the app must serve again
CLIENT_TIMEOUT = 10.0  # the client gives up here (a hang beyond the limits above is then reported, not waited for)


@dataclass
class OutageReport:
    answers: list[Answer]
    times: dict[str, float]  # stop_began, down_at, hang_began, hang_ended, start_began, up_at (time.monotonic())
    app_log: str
    problems: list[str] = field(default_factory=list)
    recovery_seconds: float | None = None

    @property
    def requests(self) -> int:
        return len(self.answers)

    def count(self, status: int) -> int:
        return sum(answer.status == status for answer in self.answers)

    @property
    def other_errors(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.status not in (200, 503)]

    @property
    def worst_latency(self) -> float:
        return max((answer.elapsed for answer in self.answers), default=0.0)

    def within(self, begin: str, end: str, path: str | None = None) -> list[Answer]:
        """Answers to requests made entirely between two of the drill's moments."""
        return [
            answer
            for answer in self.answers
            if answer.started >= self.times[begin]
            and answer.started + answer.elapsed <= self.times[end]
            and (path is None or answer.path.startswith(path))
        ]

    def while_hanging(self, answer: Answer) -> bool:
        return self.times["hang_began"] <= answer.started <= self.times["hang_ended"]

    def worst_latency_outside_hang(self) -> float:
        return max((a.elapsed for a in self.answers if not self.while_hanging(a)), default=0.0)

    @property
    def request_log(self) -> list[dict]:
        """The app's own line per request (tracker.requests): method, path, status, duration_ms."""
        return [
            json.loads(line) for line in self.app_log.splitlines() if line.startswith("{") and '"duration_ms"' in line
        ]

    @property
    def server_durations_ms(self) -> list[float]:
        return [entry["duration_ms"] for entry in self.request_log]

    @property
    def tracebacks_logged(self) -> int:
        return self.app_log.count("Traceback")

    @property
    def outage_reasons(self) -> dict[str, int]:
        """The database errors behind the 503s, as the app logged them (tracker.outage), without paths and ports."""
        reasons: dict[str, int] = {}
        for line in self.app_log.splitlines():
            if "Database unavailable:" in line:
                reason = line.split("Database unavailable:", 1)[1].split(": ", 1)[-1]
                reason = re.sub(r"port \d+", "port N", reason).strip()[:100]
                reasons[reason] = reasons.get(reason, 0) + 1
        return dict(sorted(reasons.items(), key=lambda item: -item[1]))

    def summary(self) -> str:
        t = self.times
        down = self.within("down_at", "start_began")
        hanging = [a for a in self.answers if self.while_hanging(a)]
        recovery = (
            "never"
            if self.recovery_seconds is None
            else (
                f"{self.recovery_seconds:.2f} s after pg_ctl start returned (which took "
                f"{t['up_at'] - t['start_began']:.2f} s)"
            )
        )
        lines = [
            f"requests: {self.requests} ({self.count(200)} × 200, {self.count(503)} × 503, "
            f"{len(self.other_errors)} other errors)",
            f"database down {t['start_began'] - t['down_at']:.1f} s (refusing {t['hang_began'] - t['down_at']:.1f} s, "
            f"hanging {t['hang_ended'] - t['hang_began']:.1f} s): {len(down)} answers, "
            f"{sum(a.status == 503 for a in down)} of them 503",
            f"worst latency: {self.worst_latency_outside_hang():.3f} s "
            f"(while the database hung: {max((a.elapsed for a in hanging), default=0):.3f} s); "
            f"longest time in the app: {max(self.server_durations_ms, default=0) / 1000:.3f} s",
            f"every answer 200 again {recovery}, without restarting the app; "
            f"tracebacks in the app's log: {self.tracebacks_logged}",
            "why the app answered 503: " + "; ".join(f"{n} × {reason}" for reason, n in self.outage_reasons.items()),
        ]
        lines += [f"PROBLEM: {problem}" for problem in self.problems]
        return "\n".join(lines)


def _check(report: OutageReport) -> None:
    problems = report.problems
    for answer in report.other_errors[:5]:
        problems.append(f"{answer.path}: {answer.status or answer.error} after {answer.elapsed:.2f} s")
    if len(report.other_errors) > 5:
        problems.append(f"… and {len(report.other_errors) - 5} more answers that were neither 200 nor 503")
    for answer in report.answers:
        limit = MAX_LATENCY_WHILE_HANGING if report.while_hanging(answer) else MAX_LATENCY
        if answer.elapsed >= limit:
            problems.append(f"{answer.path} took {answer.elapsed:.2f} s (limit {limit} s)")
            break
    if max(report.server_durations_ms, default=0) > MAX_SERVER_SECONDS * 1000:
        problems.append(f"the app spent {max(report.server_durations_ms) / 1000:.2f} s on one request")
    if report.tracebacks_logged:
        problems.append(f"{report.tracebacks_logged} tracebacks in the app's log (a 500 somewhere)")

    pages, health = report.within("down_at", "hang_began", PAGE), report.within("down_at", "hang_began", "/healthz")
    if len(pages) < 5 or len(health) < 2:
        problems.append(
            f"too few requests while the database refused connections ({len(pages)} pages, {len(health)} healthz)"
        )
    if not report.within("hang_began", "hang_ended"):
        problems.append("too few requests while the database hung")
    if not any(
        entry["status"] == 503 and entry["duration_ms"] >= (CONNECT_TIMEOUT - 0.5) * 1000
        for entry in report.request_log
    ):
        problems.append("no request ran into connect_timeout while the database hung")
    for answer in report.within("down_at", "start_began", PAGE):
        if answer.status != 503:
            problems.append(f"page during the outage: {answer.status or answer.error}, not 503")
        elif FRIENDLY not in answer.body or "Traceback" in answer.body or "retry-after" not in answer.headers:
            problems.append("the outage's 503 is not the friendly page with Retry-After")
        else:
            continue
        break
    for answer in report.within("down_at", "start_began", "/healthz"):
        try:
            database = json.loads(answer.body).get("database")
        except ValueError:
            database = None
        if answer.status != 503 or database != "down":
            problems.append(f"/healthz during the outage: {answer.status} {answer.body[:80]!r}")
            break

    # Recovery: from the moment pg_ctl start returned to the first request from which on every answer was a 200.
    after = sorted((a for a in report.answers if a.started >= report.times["start_began"]), key=lambda a: a.started)
    last_bad = max((i for i, answer in enumerate(after) if answer.status != 200), default=-1)
    good = after[last_bad + 1 :]
    served = {a.path.split("?")[0] for a in good}
    if served != {PAGE, "/healthz"} or not all(PAGE_TITLE in a.body for a in good if a.path.startswith(PAGE)):
        problems.append("the app did not serve pages and /healthz again after the database came back")
    else:
        report.recovery_seconds = max(0.0, good[0].started - report.times["up_at"])
        if report.recovery_seconds > MAX_RECOVERY:
            problems.append(f"recovery took {report.recovery_seconds:.1f} s (more than {MAX_RECOVERY} s)")


def _hanging_server(port: int) -> socket.socket:
    """A listener that completes TCP handshakes (the kernel does) but never reads nor answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(128)
    return listener


def run(
    *,
    refused_seconds: float = 4.0,
    hang_seconds: float = 4.0,
    baseline_seconds: float = 2.0,
    settle_seconds: float = 2.0,
) -> OutageReport:
    workdir = Workdir("tracker-outage-")
    cluster = Cluster(workdir.path)
    app = None
    hanging = None
    answers: list[Answer] = []
    times: dict[str, float] = {}
    stop = threading.Event()
    threads: list[threading.Thread] = []
    hard_deadline = time.monotonic() + 150  # whatever happens, the loops end

    def reader(name: str, path: str, pause: float) -> None:
        for _ in range(100_000):
            if stop.is_set() or time.monotonic() > hard_deadline:
                return
            target = path  # the page cache is off (TRACKER_PAGE_CACHE=off): every request needs the database
            answers.append(get(app.port, target, timeout=CLIENT_TIMEOUT))
            time.sleep(pause)

    try:
        log(f"throwaway PostgreSQL on 127.0.0.1:{cluster.port} in {workdir.path}")
        # Two workers, no page cache: every page request needs the database.
        env = cluster.seeded(
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT), ALLOW_PER_PROCESS_CACHE="1", TRACKER_PAGE_CACHE="off"
        )
        app = Gunicorn(workdir.path, env, workers=2)
        app.start()
        log(f"gunicorn (2 workers) on 127.0.0.1:{app.port}")

        threads = [threading.Thread(target=reader, args=(f"r{i}", PAGE, 0.05), daemon=True) for i in (1, 2)]
        threads.append(threading.Thread(target=reader, args=("h", "/healthz", 0.2), daemon=True))
        for thread in threads:
            thread.start()
        time.sleep(baseline_seconds)

        log("pg_ctl stop -m fast: connections refused")
        times["stop_began"] = time.monotonic()
        cluster.stop("fast")
        times["down_at"] = time.monotonic()
        time.sleep(refused_seconds)
        log("a listener that never answers on the database's port: connections hang")
        times["hang_began"] = time.monotonic()
        hanging = _hanging_server(cluster.port)
        time.sleep(hang_seconds)
        hanging.close()
        hanging = None
        times["hang_ended"] = time.monotonic()
        log("pg_ctl start")
        times["start_began"] = time.monotonic()
        cluster.start()
        times["up_at"] = time.monotonic()

        # Keep reading until both kinds of request have answered 200 a few times in a row, then a little longer.
        deadline = times["up_at"] + MAX_RECOVERY + 5
        while time.monotonic() < deadline:
            recent = [a for a in answers[-12:] if a.started > times["up_at"]]
            if len(recent) >= 8 and all(a.status == 200 for a in recent) and any(a.path == "/healthz" for a in recent):
                break
            time.sleep(0.2)
        time.sleep(settle_seconds)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=CLIENT_TIMEOUT + 2)
        if hanging is not None:
            hanging.close()
        app_log = app.logfile.read_text(errors="replace") if app and app.logfile.exists() else ""
        if app:
            app.close()
        cluster.close()
        workdir.close()

    report = OutageReport(list(answers), times, app_log)
    _check(report)
    return report


def main() -> int:
    report = run()
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
