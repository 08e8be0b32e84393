"""One day, one state: every page that shows a commitment on a past day shows the same state, from the same
projection, in a number of queries that does not grow with the data."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker import services
from tracker.models import Actor, Commitment, StatusUpdate

DAYS = ["2025-06-15", "2025-10-20", "2025-10-24", "2025-10-28", "2025-11-30"]


def _deadline_words(html: str, slug: str) -> str:
    found = re.search(rf'<a href="/commitments/{slug}/[^"]*">.*?</tr>', html, re.S)
    assert found, f"{slug} is not in the list"
    row = found.group(0)
    return re.findall(r"<td>([^<]*)(?:<br>|</td>)", row)[2].strip()


@pytest.mark.parametrize("day", DAYS)
def test_the_index_the_page_the_download_and_changes_agree(client, seeded, day):
    slug = "defence-2pct-gdp"
    index = client.get("/commitments/", {"as_of": day, "kind": "defence_spending"}).content.decode()
    detail = client.get(f"/commitments/{slug}/", {"as_of": day}).content.decode()
    download = json.loads(client.get("/commitments.json", {"as_of": day, "kind": "defence_spending"}).content)
    row = next(row for row in download["results"] if row["slug"] == slug)
    words = row["deadline_in_words"]
    assert _deadline_words(index, slug) == words
    assert words in re.search(r"<dt>Deadline</dt>\s*<dd>(.*?)</dd>", detail, re.S).group(1)
    status = row["status"]
    assert f"#status-{status}" in detail
    # /changes/ ending that day describes the same state as its "new" side.
    changes = json.loads(client.get("/changes.json", {"from": "2022-01-01", "to": day}).content)
    moved = next(result for result in changes["results"] if result["slug"] == slug)
    deadline = next(change for change in moved["changes"] if change["what"] == "deadline")
    assert deadline["new"] in words


def test_related_commitments_show_their_status_of_that_day(client, seeded):
    """The investment's counterpart, the 15% tariff, was kept at the summit (28 October): before it, in the works."""

    def related(params):
        html = client.get("/commitments/investment-550bn/", params).content.decode()
        section = html.split('id="related-heading"')[1]
        return re.search(r'href="/commitments/us-tariff-15pct/[^"]*">[^<]*</a> <a class="badge ([^"]*)"', section)

    assert related({}).group(1) == "status-kept"
    before = related({"as_of": "2025-10-20"})
    assert before.group(1) == "status-in-the-works"
    assert 'href="/commitments/us-tariff-15pct/?as_of=2025-10-20"' in before.group(0)
    html = client.get("/commitments/investment-550bn/", {"as_of": "2025-10-20"}).content.decode()
    assert "Japan–US documents on rare earths" not in html.split('id="related-heading"')[1]


def test_a_title_as_it_stood_never_today_s_title_beside_yesterday_s_target(client, defence_pledge, source):
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 11, 3),
            source=source,
            note="Widened to related spending.",
            new_title="Defence and related spending of 2% of GDP",
        )
    )
    before = client.get("/commitments/defence-2pct-gdp/", {"as_of": "2025-11-01"}).content.decode()
    after = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert "<h1>Defence spending of 2% of GDP</h1>" in before
    assert "<h1>Defence and related spending of 2% of GDP</h1>" in after
    index = client.get("/commitments/", {"as_of": "2025-11-01"}).content.decode()
    assert "Defence spending of 2% of GDP" in index and "Defence and related" not in index


@pytest.mark.parametrize(
    "url", ["/?as_of=2025-10-20", "/commitments/?as_of=2025-10-20", "/commitments/defence-2pct-gdp/?as_of=2025-10-20"]
)
def test_as_of_pages_run_a_fixed_number_of_queries(client, seeded, source, url):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    first = count()
    japan, usa = Actor.objects.get(slug="japan"), Actor.objects.get(slug="united-states")
    for n in range(5):
        commitment = Commitment.objects.create(
            slug=f"extra-{n}",
            title=f"Extra {n}",
            summary="More.",
            kind="defence_spending",
            pledged_by=japan,
            pledged_to=usa,
            announced_on=datetime.date(2025, 1, 1),
            announced_precision="day",
        )
        services.record_update(
            StatusUpdate(
                commitment=commitment,
                happened_on=datetime.date(2025, 3, 1),
                source=source,
                note="Started.",
                new_status="in_the_works",
            )
        )
    assert count() == first


@pytest.mark.parametrize("raw", ["20/10/2025", "2025-10-20T00:00", "２０２５-１０-２０", "20251020"])
def test_a_day_in_another_format_is_ignored_by_the_page_and_its_downloads_alike(client, seeded, raw):
    html = client.get("/commitments/", {"as_of": raw, "kind": "defence_spending"}).content.decode()
    assert "today's state is shown" in html.replace("&#x27;", "'")
    assert "As of 20 October 2025" not in html
    data = json.loads(client.get("/commitments.json", {"as_of": raw, "kind": "defence_spending"}).content)
    assert "as_of" not in data["filters"] and data["ignored"] == ["As of"]
    row = next(row for row in data["results"] if row["slug"] == "defence-2pct-gdp")
    assert row["deadline"] == "2026-03-31"  # today's, as on the page
