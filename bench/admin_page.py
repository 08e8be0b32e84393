"""Size, queries and time of a commitment's admin change page, in-process, on the scale dataset.

    DATABASE_URL=sqlite:////tmp/scale.sqlite3 SECRET_KEY=x .venv/bin/python bench/admin_page.py [--repeat 5]

It signs in as a superuser (made if there is none, named "bench-admin") and requests the change page of the
commitment with the most events (150 in the scale dataset), then prints the page's size, the size of its largest
parts (each inline's forms), and the best and median time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Django set up as the profiler sets it up: DEBUG off, the page cache off, the request log quiet.
import profile_pages  # noqa: E402, F401
from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from tracker.models import Commitment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-admin", "bench@example.org", None)
    client = Client()
    client.force_login(user)
    commitment = Commitment.objects.annotate(n=Count("updates")).order_by("-n").first()
    assert commitment is not None
    url = f"/admin/tracker/commitment/{commitment.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    Path("/tmp/admin_page.html").write_text(html)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{url} ({commitment.n} events): {len(response.content):,} bytes, "
        f"best {min(times):.0f} ms, median {statistics.median(times):.0f}; load {os.getloadavg()[0]:.1f}"
    )
    for prefix in ("updates", "Quote_commitments", "links_from", "readings", "review_checks"):
        parts = html.split(f'id="{prefix}-')
        print(f"  {prefix}: {len(parts) - 1} elements with ids, from byte {len(parts[0]):,}")


if __name__ == "__main__":
    main()
