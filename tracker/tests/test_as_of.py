"""`?as_of=` shows what the tracker knew on a past day: states as they stood, nothing from later."""

import json
import re

import pytest

BEFORE_THE_SUMMIT = "2025-10-20"


pytestmark = pytest.mark.usefixtures("fixed_today")


def _slugs(response):
    return set(re.findall(r'<td><a href="/commitments/([^"/]+)/', response.content.decode()))


def test_the_index_shows_the_deadline_and_status_as_they_stood(client, seeded):
    response = client.get("/commitments/", {"as_of": BEFORE_THE_SUMMIT, "kind": "defence_spending"})
    html = response.content.decode()
    assert "As of 20 October 2025." in html
    assert "by fiscal 2027 (ends 31 March 2028)" in html
    assert "by March 2026" not in html
    assert 'href="/commitments/defence-2pct-gdp/?as_of=2025-10-20"' in html


def test_the_index_leaves_out_what_did_not_exist_yet(client, seeded):
    slugs = _slugs(client.get("/commitments/", {"as_of": BEFORE_THE_SUMMIT}))
    assert "defence-2pct-gdp" in slugs
    assert "rare-earths-critical-minerals" not in slugs
    assert "tokyo-gas-alaska-lng" not in slugs
    assert "rare-earths-critical-minerals" in _slugs(client.get("/commitments/", {"as_of": "2025-10-28"}))


def test_the_index_filters_on_the_status_as_it_stood(client, seeded):
    assert "us-tariff-15pct" in _slugs(client.get("/commitments/", {"status": "kept"}))
    assert "us-tariff-15pct" not in _slugs(client.get("/commitments/", {"status": "kept", "as_of": BEFORE_THE_SUMMIT}))
    assert "us-tariff-15pct" in _slugs(
        client.get("/commitments/", {"status": "in_the_works", "as_of": BEFORE_THE_SUMMIT})
    )


def test_the_download_follows_the_day_too(client, seeded):
    data = json.loads(client.get("/commitments.json", {"as_of": BEFORE_THE_SUMMIT, "kind": "defence_spending"}).content)
    row = next(row for row in data["results"] if row["slug"] == "defence-2pct-gdp")
    assert (row["deadline"], row["deadline_precision"]) == ("2028-03-31", "fiscal_year")
    assert data["filters"]["as_of"] == BEFORE_THE_SUMMIT


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", "0001-01-01", "<script>"])
def test_a_bad_date_is_ignored_with_a_message(client, seeded, value):
    response = client.get("/commitments/", {"as_of": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "today's state is shown" in html.replace("&#x27;", "'")
    assert "<script>" not in html.split("</head>")[1].split("<script")[0]


def test_a_commitment_page_shows_the_deadline_before_it_moved(client, seeded):
    html = client.get("/commitments/defence-2pct-gdp/", {"as_of": BEFORE_THE_SUMMIT}).content.decode()
    assert "As of 20 October 2025." in html
    assert "by fiscal 2027 (ends 31 March 2028)" in html
    # No quote or update from after that day; the summary and note are marked as today's words.
    quotes_and_history = html.split('id="quotes-heading"')[1].split('id="related-heading"')[0]
    assert "two years ahead of the previously set goal" not in quotes_and_history
    assert "24 October 2025" not in quotes_and_history
    assert "(summary written today)" in html
    today = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert "by March 2026 (end of fiscal 2025)" in today
    assert "two years ahead of the previously set goal" in today


def test_a_commitment_page_says_when_it_was_not_on_record_yet(client, seeded):
    html = client.get("/commitments/rare-earths-critical-minerals/", {"as_of": BEFORE_THE_SUMMIT}).content.decode()
    assert "was not on record yet on 20 October 2025" in html


def _tally(html, status):
    return int(re.search(rf'status={status}[^"]*">[^<]+</a> <span class="count">(\d+)</span>', html).group(1))


def test_the_overview_shows_the_tallies_and_links_of_that_day(client, seeded):
    then = client.get("/", {"as_of": BEFORE_THE_SUMMIT}).content.decode()
    now = client.get("/").content.decode()
    assert "As of 20 October 2025." in then and "As of" not in now
    # The tariff cuts were reported kept on 28 October: none was kept yet on the 20th. They are parts of the July
    # trade agreement, so the overview's tallies (top-level commitments) leave them out; the index's parts show them.
    assert (_tally(then, "kept"), _tally(now, "kept")) == (0, 0)
    assert 'href="/commitments/?level=top&amp;status=kept&amp;as_of=2025-10-20"' in then
    parts_then = client.get("/commitments/", {"level": "parts", "status": "kept", "as_of": BEFORE_THE_SUMMIT})
    parts_now = client.get("/commitments/", {"level": "parts", "status": "kept"})
    assert "/commitments/us-tariff-15pct/" not in parts_then.content.decode()
    assert "/commitments/us-tariff-15pct/" in parts_now.content.decode()
    assert 'href="/commitments/defence-2pct-gdp/?as_of=2025-10-20"' in then
