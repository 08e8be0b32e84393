"""Japanese search at scale, on PostgreSQL: query times with the bigram GIN indexes and without them, and their size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/japanese_search.py

Run it on a database holding the scale dataset (`manage.py generate_scale_data`). The synthetic data has no
Japanese, so it first gives every commitment a Japanese title and summary and a quarter of the quotes a Japanese
translation, sentences drawn (deterministically) from the seed's own translations (fixtures/translations/ja.py),
unless they have them already. Then, for each query, the median of RUNS runs of the index page's search (ids of
the matching commitments, as tracker/views/commitment_index.py asks), first as PostgreSQL plans it (the GIN
indexes), then with bitmap and index scans off (a sequential scan of every row): the ratio is the indexes' worth.
For Japanese queries it also times the cheapest search with no index at all (every word as a substring, as on
SQLite). It times an English search as a peer in the same run, and prints the sizes of the indexes and tables.
"""

import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "fixtures" / "translations"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
# Refilling 10,000 commitments and vacuuming take longer than a page may.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "600")

import django  # noqa: E402

django.setup()

import ja  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tracker.models import Commitment, Quote  # noqa: E402
from tracker.search import _search_substrings, cjk_query, search_commitments  # noqa: E402

RUNS = 15
QUERIES = ("防衛費", "国内総生産 防衛費", "日米", "米", "アラスカ産LNG", "存在しない語句", "defence spending")
SENTENCES = [
    sentence + "。"
    for _title, summary in ja.COMMITMENTS.values()
    for sentence in re.split("。", summary)
    if sentence.strip()
]
TITLES = [title for title, _summary in ja.COMMITMENTS.values()]


def fill() -> None:
    if not Commitment.objects.filter(title_ja="").exists():
        return
    rng = random.Random(15)
    with transaction.atomic():
        commitments = list(Commitment.objects.filter(title_ja="").only("pk"))
        for commitment in commitments:
            commitment.title_ja = rng.choice(TITLES)[:190] + f"（{commitment.pk}）"
            commitment.summary_ja = "".join(rng.sample(SENTENCES, 3))
        Commitment.objects.bulk_update(commitments, ["title_ja", "summary_ja"], batch_size=2000)
        quotes = list(Quote.objects.filter(translation="").only("pk"))
        chosen = [quote for quote in quotes if rng.random() < 0.25]
        for quote in chosen:
            quote.translation = rng.choice(SENTENCES)
        Quote.objects.bulk_update(chosen, ["translation"], batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE tracker_commitment")
        cursor.execute("VACUUM ANALYZE tracker_quote")


def timed(text: str, search=search_commitments) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        found = len(list(search(Commitment.objects.all(), text).values_list("pk", flat=True)))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), found


def main() -> None:
    assert connection.vendor == "postgresql", "PostgreSQL only: SQLite has no such index"
    fill()
    print(f"{Commitment.objects.count():,} commitments, {Quote.objects.count():,} quotes", flush=True)
    print(
        "| query | matches | with the indexes (ms) | same plan, no index (ms) | ratio | substrings, no index (ms) | ratio |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for text in QUERIES:
        indexed, found = timed(text)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            scanned, found_scanning = timed(text)
        assert found == found_scanning, (text, found, found_scanning)
        # The cheapest search without any index: every word as a substring (SQLite's way), for Japanese queries.
        substrings, found_by_substring = timed(text, _search_substrings) if cjk_query(text) else (float("nan"), found)
        assert found == found_by_substring, (text, found, found_by_substring)
        print(
            f"| {text} | {found:,} | {indexed:.1f} | {scanned:.1f} | {scanned / indexed:.1f}× "
            f"| {substrings:.1f} | {substrings / indexed:.1f}× |",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class WHERE relname IN "
            "('commitment_search_ja_gin', 'quote_search_ja_gin', 'commitment_search_gin', 'quote_search_gin', "
            "'tracker_commitment', 'tracker_quote') ORDER BY relname"
        )
        print("\n| relation | size |\n| --- | ---: |")
        for name, size in cursor.fetchall():
            print(f"| {name} | {size} |")


if __name__ == "__main__":
    main()
