#!/usr/bin/env python
"""Fault drill: the database freezes mid-query (SIGSTOP), for 8 s and then for 40 s, under load.

A stopped PostgreSQL is the worst kind of outage for an app: its kernel still accepts connections and acknowledges
every packet, so nothing fails; everything waits. Neither `statement_timeout` (the server cannot cancel anything
while stopped) nor TCP keepalives help: only the app's own deadline does (tracker/deadlines.py).

A throwaway PostgreSQL cluster, migrated and seeded; the app under gunicorn (gunicorn.conf.py, 3 sync workers,
production settings, the page cache off so that every page needs the database); two threads reading a commitment
page and one polling /healthz. Every process of the cluster is stopped (SIGSTOP) for 8 s, resumed (SIGCONT), then
stopped for 40 s — longer than gunicorn's 30 s timeout — and resumed.

What must hold:
- every answer is a 200 or the friendly 503: no 500, no connection closed without an answer;
- the app never spends more than statement_timeout + 1 s on a request (its own log), and no client waits longer
  than that plus the wait for a free worker;
- no worker is killed (no "WORKER TIMEOUT" in gunicorn's log);
- after each resume, every answer is a 200 again within a few seconds, without a restart.

Run it with `.venv/bin/python scripts/db_freeze.py` (about 80 s); tracker/tests/test_db_freeze.py runs it in CI.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Answer, Cluster, Gunicorn, Workdir, get, log  # noqa: E402

PAGE = "/commitments/defence-2pct-gdp/"
STATEMENT_TIMEOUT = 5  # seconds: DATABASE_STATEMENT_TIMEOUT, settings.py's default
CONNECT_TIMEOUT = 3
MAX_SERVER_SECONDS = STATEMENT_TIMEOUT + 1.0
MAX_CLIENT_SECONDS = STATEMENT_TIMEOUT + 1.0 + CONNECT_TIMEOUT + 1.0  # + a wait for a free worker at worst
MAX_RECOVERY = 10.0
CLIENT_TIMEOUT = 45.0  # longer than gunicorn's timeout: a hang is measured, not cut short by the client
FREEZES = (8.0, 40.0)


@dataclass
class FreezeReport:
    answers: list[Answer]
    freezes: list[tuple[float, float]]  # (stopped_at, resumed_at), time.monotonic()
    app_log: str
    problems: list[str] = field(default_factory=list)
    recoveries: list[float | None] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.answers)

    def count(self, status: int) -> int:
        return sum(answer.status == status for answer in self.answers)

    @property
    def other(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.status not in (200, 503)]

    @property
    def worst_latency(self) -> float:
        return max((answer.elapsed for answer in self.answers), default=0.0)

    @property
    def server_durations_ms(self) -> list[float]:
        return [
            json.loads(line)["duration_ms"]
            for line in self.app_log.splitlines()
            if line.startswith("{") and '"duration_ms"' in line
        ]

    def summary(self) -> str:
        recoveries = ", ".join("never" if r is None else f"{r:.2f} s" for r in self.recoveries)
        lines = [
            f"requests: {self.requests} ({self.count(200)} × 200, {self.count(503)} × 503, "
            f"{len(self.other)} other answers or closed connections)",
            f"frozen: {', '.join(f'{end - start:.1f} s' for start, end in self.freezes)}",
            f"worst latency (client): {self.worst_latency:.3f} s; longest time in the app: "
            f"{max(self.server_durations_ms, default=0) / 1000:.3f} s",
            f"every answer 200 again after each resume within: {recoveries}, without restarting the app",
            f"workers killed by gunicorn: {self.app_log.count('WORKER TIMEOUT')}; "
            f"tracebacks in the app's log: {self.app_log.count('Traceback')}",
        ]
        return "\n".join(lines + [f"PROBLEM: {problem}" for problem in self.problems])


def _cluster_pids(cluster: Cluster) -> list[int]:
    """The postmaster and every process it forked (backends, checkpointer, walwriter…)."""
    postmaster = int((cluster.datadir / "postmaster.pid").read_text().splitlines()[0])
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = (Path("/proc") / entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                pids.append(int(entry))
    return pids


def _signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _check(report: FreezeReport) -> None:
    problems = report.problems
    for answer in report.other[:5]:
        problems.append(f"{answer.path}: {answer.status or answer.error} after {answer.elapsed:.2f} s")
    if report.worst_latency > MAX_CLIENT_SECONDS:
        problems.append(f"a client waited {report.worst_latency:.2f} s (limit {MAX_CLIENT_SECONDS} s)")
    if max(report.server_durations_ms, default=0) > MAX_SERVER_SECONDS * 1000:
        problems.append(f"the app spent {max(report.server_durations_ms) / 1000:.2f} s on one request")
    if "WORKER TIMEOUT" in report.app_log:
        problems.append("gunicorn killed a worker")
    if report.app_log.count("Traceback"):
        problems.append("tracebacks in the app's log (a 500 somewhere)")
    ends = [stopped for stopped, _ in report.freezes[1:]] + [float("inf")]
    for (stopped, resumed), next_freeze in zip(report.freezes, ends, strict=True):
        # Made once the freeze had begun, answered (at the latest) before it ended: each must be the 503.
        during = [a for a in report.answers if stopped + 0.2 <= a.started <= resumed - MAX_SERVER_SECONDS]
        if (resumed - stopped > 2 * MAX_SERVER_SECONDS and not during) or any(a.status != 503 for a in during):
            statuses = sorted({a.status for a in during})
            problems.append(f"requests made while the database was frozen answered {statuses}, not only 503")
        # Answered before the next freeze began (one made just before it rightly waits for it, then gets the 503).
        after = sorted(
            (a for a in report.answers if resumed <= a.started and a.started + a.elapsed < next_freeze),
            key=lambda a: a.started,
        )
        last_bad = max((i for i, answer in enumerate(after) if answer.status != 200), default=-1)
        good = after[last_bad + 1 :]
        if len(good) < 3:
            report.recoveries.append(None)
            problems.append("the app did not serve again after the database resumed")
        else:
            recovery = max(0.0, good[0].started - resumed)
            report.recoveries.append(recovery)
            if recovery > MAX_RECOVERY:
                problems.append(f"recovery took {recovery:.1f} s")


def run(freezes: tuple[float, ...] = FREEZES, settle_seconds: float = 6.0) -> FreezeReport:
    workdir = Workdir("tracker-freeze-")
    cluster = Cluster(workdir.path)
    app = None
    answers: list[Answer] = []
    spans: list[tuple[float, float]] = []
    stop = threading.Event()
    threads: list[threading.Thread] = []
    stopped_pids: list[int] = []
    hard_deadline = time.monotonic() + 240

    def reader(path: str, pause: float) -> None:
        while not stop.is_set() and time.monotonic() < hard_deadline:
            answers.append(get(app.port, path, timeout=CLIENT_TIMEOUT))
            time.sleep(pause)

    try:
        log(f"throwaway PostgreSQL on 127.0.0.1:{cluster.port} in {workdir.path}")
        env = cluster.seeded(
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            DATABASE_STATEMENT_TIMEOUT=str(STATEMENT_TIMEOUT),
            ALLOW_PER_PROCESS_CACHE="1",
            TRACKER_PAGE_CACHE="off",
        )
        app = Gunicorn(workdir.path, env, workers=3)
        app.start()
        log(f"gunicorn (3 workers) on 127.0.0.1:{app.port}")
        threads = [threading.Thread(target=reader, args=(PAGE, 0.05), daemon=True) for _ in range(2)]
        threads.append(threading.Thread(target=reader, args=("/healthz", 0.2), daemon=True))
        for thread in threads:
            thread.start()
        time.sleep(2)
        for seconds in freezes:
            stopped_pids = _cluster_pids(cluster)
            log(f"SIGSTOP to the {len(stopped_pids)} processes of the cluster for {seconds:.0f} s")
            stopped_at = time.monotonic()
            _signal_all(stopped_pids, signal.SIGSTOP)
            time.sleep(seconds)
            _signal_all(list(reversed(stopped_pids)), signal.SIGCONT)
            stopped_pids = []
            resumed_at = time.monotonic()
            spans.append((stopped_at, resumed_at))
            log("SIGCONT: the cluster runs again")
            deadline = resumed_at + MAX_RECOVERY + 5
            while time.monotonic() < deadline:
                recent = [a for a in answers[-10:] if a.started > resumed_at]
                if len(recent) >= 8 and all(a.status == 200 for a in recent):
                    break
                time.sleep(0.2)
            time.sleep(settle_seconds)
    finally:
        if stopped_pids:
            _signal_all(stopped_pids, signal.SIGCONT)
        stop.set()
        for thread in threads:
            thread.join(timeout=CLIENT_TIMEOUT + 2)
        app_log = app.logfile.read_text(errors="replace") if app and app.logfile.exists() else ""
        if app:
            app.close()
        cluster.close()
        workdir.close()

    report = FreezeReport(list(answers), spans, app_log)
    _check(report)
    return report


def main() -> int:
    report = run()
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
