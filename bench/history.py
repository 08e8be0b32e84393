#!/usr/bin/env python3
"""The history engine at scale, in-process: `.venv/bin/python bench/history.py [--database-url URL]`.

On a fresh PostgreSQL database (`tracker_bench_history`, dropped afterwards) or the database given, with the seed
and the synthetic scale dataset (10,000 commitments, 100,000 updates by default), it measures:

- `rebuild_history` over everything (seconds);
- recording one event into the commitment with the most events: appended after the others, and back-filled
  before all of them (milliseconds, median of --repeat runs, each rolled back);
- uncached pages rendered in-process by Django's test client, each "as of" page against the same page live, and
  /changes/ over 30 days against the live index (milliseconds per page and the ratio of requests per second).

Numbers go to stdout as a Markdown table, for docs/performance.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

PAGES = [
    # (name, live URL, the URL compared with it)
    ("overview", "/", "/?as_of=2025-10-20"),
    ("index", "/commitments/", "/commitments/?as_of=2025-10-20"),
    (
        "index filtered",
        "/commitments/?kind=purchase&status=in_the_works&sort=updated",
        "/commitments/?kind=purchase&status=in_the_works&sort=updated&as_of=2025-10-20",
    ),
    ("detail (largest)", "/commitments/{largest}/", "/commitments/{largest}/?as_of=2025-10-20"),
    ("changes, 30 days vs index", "/commitments/", "/changes/?from=2025-10-01&to=2025-10-31"),
]


def setup(url: str, scale: float) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["loaddata", "seed.json", "-v0"],
        ["generate_scale_data", "--append", "--scale", str(scale)],
    ):
        subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True)


def measure(repeat: int) -> list[str]:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client

    from tracker import history, services
    from tracker.models import Commitment, StatusUpdate

    lines = []
    started = time.perf_counter()
    count = history.rebuild_all()
    lines.append(f"| `rebuild_history`, {count:,} commitments | {time.perf_counter() - started:.1f} s |")

    largest = Commitment.objects.annotate(n=Count("updates")).order_by("-n").first()
    events = largest.updates.count()
    template = largest.updates.order_by("happened_on").first()
    for name, day in (("appended after", "2026-11-30"), ("back-filled before", "2000-01-02")):
        timings = []
        for _ in range(repeat):
            with transaction.atomic():
                update = StatusUpdate(
                    commitment=largest,
                    happened_on=day,
                    happened_precision="day",
                    source=template.source,
                    note="Bench.",
                    new_status="stalled",
                )
                t0 = time.perf_counter()
                services.record_update(update)
                timings.append((time.perf_counter() - t0) * 1000)
                transaction.set_rollback(True)
        lines.append(
            f"| one event {name} the {events} events of `{largest.slug}` | {statistics.median(timings):.1f} ms "
            f"(median of {repeat}) |"
        )

    client = Client()

    def page_ms(url: str) -> float:
        timings = []
        for _ in range(repeat):
            cache.clear()
            t0 = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(timings)

    lines.append("")
    lines.append("| page | live (ms) | compared (ms) | ratio of req/s |")
    lines.append("| --- | --- | --- | --- |")
    for name, live, compared in PAGES:
        live, compared = live.format(largest=largest.slug), compared.format(largest=largest.slug)
        page_ms(live)  # warm caches and connections
        a, b = page_ms(live), page_ms(compared)
        lines.append(f"| {name} | {a:.1f} | {b:.1f} | {a / b:.2f}× |")
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="use this database as it is (no set-up)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the database it creates (for --database-url)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.update(
        {"DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
    )
    os.environ["TRACKER_PAGE_CACHE"] = "off"
    created = None
    if not args.database_url:
        created = "tracker_bench_history"
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", created], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", created], check=True)
        args.database_url = f"{PG_SERVER}/{created}"
        setup(args.database_url, args.scale)
    os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(ROOT))
    try:
        print("\n".join(measure(args.repeat)))
    finally:
        if created and not args.keep:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", created], check=True)


if __name__ == "__main__":
    main()
