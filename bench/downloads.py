"""Time the downloads in-process, streamed as a client reads them: first byte, whole, size and SHA-256 of the body.

    DATABASE_URL=sqlite:////tmp/scale.sqlite3 SECRET_KEY=x \\
        .venv/bin/python bench/downloads.py [/commitments.csv ...] [--repeat 5] [--profile]

Each URL is requested through Django's test client (the whole middleware stack, DEBUG off, the page cache off),
once to warm up, then `--repeat` times; it prints the best and the median of each time and the hash, so that a change
to how the rows are built can be checked byte for byte against the download before it. `--profile` prints a
cProfile table of one more request. Load the database with the scale dataset first (see bench/README.md).
"""

import argparse
import cProfile
import hashlib
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Django set up as the profiler sets it up: DEBUG off, the page cache off, the request log quiet.
import profile_pages  # noqa: E402, F401
from django.test import Client  # noqa: E402

URLS = ["/commitments.csv", "/commitments.json", "/sources.csv", "/sources.json"]


def fetch(client: Client, url: str) -> tuple[float, float, bytes]:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    chunks = iter(response.streaming_content) if response.streaming else iter([response.content])
    body = [next(chunks, b"")]
    first = time.perf_counter() - start
    body.extend(chunks)
    return first, time.perf_counter() - start, b"".join(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="*", default=URLS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    client = Client()
    for url in args.urls:
        fetch(client, url)
        firsts, wholes = [], []
        for _ in range(args.repeat):
            first, whole, body = fetch(client, url)
            firsts.append(first * 1000)
            wholes.append(whole * 1000)
        print(
            f"{url}: first byte best {min(firsts):.0f} ms, median {statistics.median(firsts):.0f}; "
            f"whole best {min(wholes):.0f} ms, median {statistics.median(wholes):.0f}; "
            f"{len(body):,} bytes, sha256 {hashlib.sha256(body).hexdigest()[:16]}; load {os.getloadavg()[0]:.1f}"
        )
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(fetch, client, url)
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
