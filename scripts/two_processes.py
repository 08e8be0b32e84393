#!/usr/bin/env python
"""Scale-out drill: two app processes over one PostgreSQL and one Redis cache.

Two gunicorn instances (A and B, two workers each, on two loopback ports) share a throwaway PostgreSQL cluster and
a Redis database (REDIS_URL, flushed at start and at the end). It shows that:

1. both serve the same cached copy of a page (same ETag: the data version lives in Redis, not in a process);
2. the copy really is a cache: a title changed in the database behind Django's back (`QuerySet.update`, no signal)
   does not show on either process;
3. a change saved through Django in a third process (`manage.py shell`, as the admin would save it) shows on both
   processes at once: the save replaced the shared data version, so every cached page is stale everywhere;
4. sessions are shared: log in to the admin on A, use the session cookie on B; log out on B, and the cookie is
   refused on A too (sessions live in the database).

Run it with `.venv/bin/python scripts/two_processes.py` (about 20 s); tracker/tests/test_two_processes.py runs it
in CI. Redis: DRILL_REDIS_URL, default redis://127.0.0.1:6379/13 — a database number of its own, flushed. Two runs on
one machine take turns (a lock file), so they never flush each other's cache.
"""

from __future__ import annotations

import fcntl
import html
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Cluster, Gunicorn, Workdir, get, log, manage  # noqa: E402

REDIS_URL = os.environ.get("DRILL_REDIS_URL", "redis://127.0.0.1:6379/13")
SLUG = "defence-2pct-gdp"
PAGE = f"/commitments/{SLUG}/"
USERNAME, PASSWORD = "drill-admin", "drill-only-Passw0rd-not-secret"
HIDDEN_TITLE = "Changed behind the cache's back"
NEW_TITLE = "Defence spending of 2% of GDP, as edited"


@dataclass
class ScaleOutReport:
    steps: list[str] = field(default_factory=list)  # what was shown, in order
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def expect(self, condition: bool, shown: str, otherwise: str) -> bool:
        (self.steps if condition else self.problems).append(shown if condition else otherwise)
        return condition

    def summary(self) -> str:
        return "\n".join(
            [
                *(f"ok: {step}" for step in self.steps),
                *(f"PROBLEM: {p}" for p in self.problems),
                f"{len(self.steps)} checks passed, {len(self.problems)} failed, in {self.seconds:.1f} s",
            ]
        )


def _title(body: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


class _RedisLock:
    """One drill at a time per Redis database on this machine (flock, bounded wait)."""

    def __init__(self, url: str, wait: float = 90):
        name = re.sub(r"[^A-Za-z0-9]+", "-", url)
        self.path = Path(tempfile.gettempdir()) / f"tracker-drill-{name}.lock"
        self.wait = wait
        self.file = None

    def __enter__(self):
        self.file = open(self.path, "w")
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"another drill has held {self.path} for {self.wait} s") from None
                time.sleep(0.5)

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        raise RuntimeError(f"Redis is not reachable at {REDIS_URL}: {error}") from error
    return client


def _login(port: int) -> tuple[str, int]:
    """Log in to the admin on one process: (session cookie, status of the login POST)."""
    form = get(port, "/admin/login/?next=/admin/")
    csrf_cookie = form.cookies.get("csrftoken", "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    body = urlencode(
        {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": USERNAME,
            "password": PASSWORD,
            "next": "/admin/",
        }
    )
    answer = get(
        port,
        "/admin/login/?next=/admin/",
        method="POST",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"},
    )
    return answer.cookies.get("sessionid", ""), answer.status


def _logout(port: int, session: str) -> int:
    page = get(port, "/admin/", headers={"Cookie": f"sessionid={session}"})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    csrf_cookie = page.cookies.get("csrftoken", "")
    if not csrf_cookie:  # the admin index sets none: take one from the login form
        csrf_cookie = get(port, "/admin/login/").cookies.get("csrftoken", "")
    body = urlencode({"csrfmiddlewaretoken": token.group(1) if token else ""})
    answer = get(
        port,
        "/admin/logout/",
        method="POST",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf_cookie}",
        },
    )
    return answer.status


def _shell(env: dict[str, str], code: str) -> None:
    manage(env, "shell", "--no-imports", "-c", code)


def run() -> ScaleOutReport:
    report = ScaleOutReport()
    started = time.monotonic()
    with _RedisLock(REDIS_URL):
        redis_client = _redis()
        workdir = Workdir("tracker-scaleout-")
        cluster = Cluster(workdir.path)
        apps: list[Gunicorn] = []
        try:
            redis_client.flushdb()
            log(f"throwaway PostgreSQL on 127.0.0.1:{cluster.port}; Redis {REDIS_URL} (flushed)")
            env = cluster.seeded(REDIS_URL)
            manage(
                {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
                "createsuperuser",
                "--noinput",
                "--username",
                USERNAME,
                "--email",
                "drill@example.invalid",
            )
            apps = [Gunicorn(workdir.path, env, name=name, workers=2) for name in ("a", "b")]
            for app in apps:
                app.start()
            a, b = apps
            log(f"gunicorn A on 127.0.0.1:{a.port}, B on 127.0.0.1:{b.port} (2 workers each)")
            _check(report, a.port, b.port, env, redis_client)
        finally:
            for app in apps:
                app.close()
            cluster.close()
            workdir.close()
            try:
                redis_client.flushdb()
            except Exception as error:  # noqa: BLE001 — cleanup goes on
                log(f"could not flush {REDIS_URL}: {error}")
    report.seconds = time.monotonic() - started
    return report


def _check(report: ScaleOutReport, port_a: int, port_b: int, env: dict[str, str], redis_client) -> None:
    expect = report.expect
    for port, name in ((port_a, "A"), (port_b, "B")):
        health = get(port, "/healthz")
        expect(
            health.status == 200 and '"cache": "ok"' in health.body,
            f"/healthz on {name}: {health.body}",
            f"/healthz on {name}: {health.status} {health.body!r}",
        )

    # 1. Both processes fill and serve the one shared cache.
    first_a, first_b = get(port_a, PAGE), get(port_b, PAGE)
    again_a, again_b = get(port_a, PAGE), get(port_b, PAGE)
    titles = {_title(answer.body) for answer in (first_a, first_b, again_a, again_b)}
    old_title = _title(first_a.body)
    expect(
        all(x.status == 200 for x in (first_a, first_b, again_a, again_b)) and len(titles) == 1 and old_title,
        f"A and B serve {PAGE} with the title {old_title!r}",
        f"first reads: {titles}",
    )
    etags = {answer.headers.get("etag") for answer in (first_a, first_b, again_a, again_b)}
    expect(
        len(etags) == 1 and None not in etags,
        f"A and B give the same ETag {etags.pop()} (one data version)",
        f"the ETags differ between processes: {etags}",
    )
    index_before = {port: get(port, "/commitments/").body for port in (port_a, port_b)}
    expect(
        all(old_title in body for body in index_before.values()),
        "A and B cache the index page too",
        "the index page lacks the title",
    )
    pages_cached = sum(1 for _ in redis_client.scan_iter(match="*page:*", count=100))
    expect(pages_cached >= 1, f"{pages_cached} cached page(s) in Redis", "no cached page in Redis")

    # 2. It is a cache: a change no signal hears about does not show.
    _shell(
        env,
        "from tracker.models import Commitment; "
        f"Commitment.objects.filter(slug={SLUG!r}).update(title={HIDDEN_TITLE!r})",
    )
    hidden = {_title(get(port, PAGE).body) for port in (port_a, port_b)}
    expect(
        hidden == {old_title},
        "after an UPDATE behind Django's back, both still serve the cached copy",
        f"after an UPDATE behind Django's back: {hidden} (the page was not cached?)",
    )

    # 3. A save in a third process invalidates every cached page for both.
    _shell(
        env,
        "from tracker.models import Commitment; "
        f"c = Commitment.objects.get(slug={SLUG!r}); c.title = {NEW_TITLE!r}; c.save()",
    )
    changed = time.monotonic()
    fresh_a, fresh_b = get(port_a, PAGE), get(port_b, PAGE)
    seen = time.monotonic() - changed
    expect(
        _title(fresh_a.body) == NEW_TITLE and _title(fresh_b.body) == NEW_TITLE,
        f"after a save in another process, A and B serve the new title at once ({seen:.2f} s for both reads)",
        f"after the save: A {_title(fresh_a.body)!r}, B {_title(fresh_b.body)!r}",
    )
    index = {port: get(port, "/commitments/").body for port in (port_a, port_b)}
    expect(
        all(NEW_TITLE in body for body in index.values()),
        "so do their index pages, cached before the save",
        "an index page still shows the old title",
    )

    # 4. Sessions live in the database: any process knows them.
    session, status = _login(port_a)
    expect(status == 302 and bool(session), "logged in to the admin on A", f"login on A: {status}, no session")
    on_b = get(port_b, "/admin/", headers={"Cookie": f"sessionid={session}"})
    expect(
        on_b.status == 200 and USERNAME in on_b.body,
        "A's session cookie opens the admin on B",
        f"A's session on B: {on_b.status} {on_b.headers.get('location', '')}",
    )
    anonymous = get(port_b, "/admin/")
    expect(
        anonymous.status == 302,
        "without the cookie B sends to the login page",
        f"without the cookie B answered {anonymous.status}",
    )
    logout = _logout(port_b, session)
    after = get(port_a, "/admin/", headers={"Cookie": f"sessionid={session}"})
    expect(
        logout in (200, 302) and after.status == 302,
        "after logging out on B, the cookie no longer opens the admin on A",
        f"logout on B: {logout}; then A answered {after.status}",
    )


def main() -> int:
    report = run()
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
