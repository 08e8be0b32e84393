"""Profile public pages uncached, in-process, on a database loaded with the scale dataset.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_prof SECRET_KEY=x \\
        .venv/bin/python bench/profile_pages.py /commitments/ /timeline/ [--repeat 20] [--pyinstrument] [--sql]

Each URL is requested through Django's test client (the whole middleware stack, DEBUG off, the page cache off),
once to warm up, then `--repeat` times under cProfile (or pyinstrument, if installed and asked for). It prints the
mean time per request, the number of queries and their time, then the profile. `--sql` lists each query with its
time. Load the database first, e.g.:

    .venv/bin/python manage.py migrate && .venv/bin/python manage.py loaddata seed.json \\
        && .venv/bin/python manage.py generate_scale_data --append
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ["TRACKER_PAGE_CACHE"] = "off"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("tracker.requests").setLevel(logging.WARNING)  # one line per request would drown the profile

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--sql", action="store_true", help="list every query with its time")
    parser.add_argument("--lines", type=int, default=30, help="rows of the cProfile table")
    args = parser.parse_args()
    client = Client()
    for url in args.urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        connection.force_debug_cursor = True
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        connection.force_debug_cursor = False
        captured = list(queries.captured_queries)  # the next request would reset the log
        query_ms = sum(float(query["time"]) for query in captured) * 1000
        started = time.perf_counter()
        for _ in range(5):
            client.get(url)
        plain_ms = (time.perf_counter() - started) / 5 * 1000
        print(
            f"\n=== {url}: {plain_ms:.1f} ms per request, {len(response.content):,} bytes, "
            f"{len(captured)} queries taking {query_ms:.1f} ms"
        )
        if args.sql:
            for query in captured:
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
            for _ in range(args.repeat):
                client.get(url)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        else:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                client.get(url)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.lines)
            print(out.getvalue())


if __name__ == "__main__":
    main()
