"""EXPLAIN ANALYZE of the commitments index's full-text search, as bench/run.py runs it on PostgreSQL.

    DATABASE_URL=postgres://… SECRET_KEY=… .venv/bin/python bench/explain.py [words]

The queries are built exactly as the index view builds them (tracker/filters.py, tracker/views/commitment_index.py),
so the plans are the ones the page gets: the search itself, served by the GIN indexes commitment_search_gin and
quote_search_gin, and the first page of 25 rows filtered on the ids it found.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.test import RequestFactory  # noqa: E402

from tracker.models import Commitment  # noqa: E402
from tracker.search import search_commitments  # noqa: E402
from tracker.views import commitment_index  # noqa: E402


def main() -> None:
    words = " ".join(sys.argv[1:]) or "soybeans"
    request = RequestFactory().get("/commitments/", {"q": words})
    request.htmx = False
    search = search_commitments(Commitment.objects.order_by(), words).values_list("pk", flat=True)
    matching = commitment_index._matching(commitment_index._filtered(request))
    for title, queryset in (
        ("The search: the ids it matches, read once and reused by the list, its count and the facets", search),
        ("The page (first 25 rows), filtered on those ids", matching[:25]),
    ):
        print(f"-- {title}, q={words!r}")
        print(queryset.explain(analyze=True, buffers=True))
        print()


if __name__ == "__main__":
    main()
