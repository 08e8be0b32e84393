"""/changes/: what moved between two days, old → new, with the events in between; CSV and JSON twins."""

import csv
import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker import services
from tracker.models import StatusUpdate

AROUND_THE_SUMMIT = {"from": "2025-10-20", "to": "2025-10-31"}
EVIL = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def _json(client, **params):
    response = client.get("/changes.json", params)
    assert response.status_code == 200
    return json.loads(response.content)


def test_it_lists_what_moved_around_the_summit_old_to_new(client, seeded):
    data = _json(client, **AROUND_THE_SUMMIT)
    moved = {row["slug"]: row for row in data["results"]}
    assert {"what": "deadline", "old": "fiscal 2027", "new": "March 2026"} in moved["defence-2pct-gdp"]["changes"]
    assert {"what": "status", "old": "In the works", "new": "Kept"} in moved["us-tariff-15pct"]["changes"]
    assert moved["rare-earths-critical-minerals"]["new_on_record"] is True
    # Unchanged between the two days: left out.
    assert "investment-550bn" not in moved
    # The events in between, each with its permalink and source.
    events = moved["defence-2pct-gdp"]["events"]
    assert [event["date"] for event in events] == sorted(event["date"] for event in events)
    assert all(event["url"].startswith("http://testserver/timeline/updates/") for event in events)
    assert all("2025-10-20" < event["date"] <= "2025-10-31" or event["precision"] != "day" for event in events)


def test_the_page_shows_the_same_as_its_downloads(client, seeded):
    html = client.get("/changes/", AROUND_THE_SUMMIT).content.decode()
    data = _json(client, **AROUND_THE_SUMMIT)
    assert f"{data['count']} commitments changed" in html
    assert "<del>fiscal 2027</del> → <ins>March 2026</ins>" in html
    assert 'href="/changes.csv?from=2025-10-20&amp;to=2025-10-31"' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/changes.csv", AROUND_THE_SUMMIT).content.decode())))
    assert {row["slug"] for row in rows} == {row["slug"] for row in data["results"]}
    deadline = next(row for row in rows if row["slug"] == "defence-2pct-gdp" and row["what"] == "deadline")
    assert (deadline["old"], deadline["new"], deadline["from_day"]) == ("fiscal 2027", "March 2026", "2025-10-20")


def test_it_takes_the_index_filters(client, seeded):
    data = _json(client, **AROUND_THE_SUMMIT, kind="defence_spending")
    slugs = {row["slug"] for row in data["results"]}
    assert "defence-2pct-gdp" in slugs and "fundamental-defence-strengthening" in slugs
    assert "us-tariff-15pct" not in slugs
    assert data["filters"] == {"kind": "defence_spending"}
    html = client.get("/changes/", {**AROUND_THE_SUMMIT, "status": "kept"}).content.decode()
    assert "US lowers tariffs on Japanese goods to 15%" in html
    assert "Defence spending of 2% of GDP" not in html


def test_a_state_that_moved_and_moved_back_is_not_a_change(client, defence_pledge, source):
    for day, status in ((datetime.date(2025, 11, 3), "stalled"), (datetime.date(2025, 11, 10), "not_rated")):
        services.record_update(
            StatusUpdate(commitment=defence_pledge, happened_on=day, source=source, note="Moved.", new_status=status)
        )
    assert _json(client, **{"from": "2025-11-01", "to": "2025-11-30"})["count"] == 0
    assert _json(client, **{"from": "2025-11-01", "to": "2025-11-05"})["count"] == 1


def test_the_default_window_is_the_last_thirty_days(client, defence_pledge, source, time_machine):
    time_machine.move_to(datetime.datetime(2025, 11, 20, 12, tzinfo=ZoneInfo("Asia/Tokyo")))
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 11, 3),
            source=source,
            note="Started.",
            new_status="in_the_works",
        )
    )
    data = _json(client)
    assert (data["from"], data["to"]) == ("2025-10-21", "2025-11-20")
    assert [row["slug"] for row in data["results"]] == ["defence-2pct-gdp"]
    html = client.get("/changes/").content.decode()
    assert "From 21 October 2025 to 20 November 2025" in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "20/10/2025", "to": "2025-10-31"}, "is not a date like 2025-10-28: ignored."),
        ({"from": "2025-10-31", "to": "2025-10-20"}, "were swapped"),
        ({"from": "２０２５-１０-２０"}, "ignored"),
        ({"to": "9999-12-31"}, "ignored"),
        ({"from": "\x00"}, "ignored"),
    ],
)
def test_bad_days_are_named_never_an_error(client, seeded, params, message):
    response = client.get("/changes/", params)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_stored_html_is_escaped_on_the_page_and_downloads(client, defence_pledge, source):
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge, happened_on=datetime.date(2025, 11, 3), source=source, note=EVIL, new_title=EVIL
        )
    )
    window = {"from": "2025-11-01", "to": "2025-11-30"}
    for url in ("/changes/", "/changes.json"):
        body = client.get(url, window).content.decode()
        assert "<img src=x" not in body and "<script>alert(2)" not in body, url
    # Kept exactly, escaped for the format it is written in (a CSV cell is text, not markup).
    assert _json(client, **window)["results"][0]["title"] == EVIL
    response = client.get("/changes.csv", window)
    assert response["Content-Type"].startswith("text/csv")
    assert next(csv.DictReader(io.StringIO(response.content.decode())))["title"] == EVIL


def test_the_query_count_does_not_grow_with_the_changes(client, make_commitment, source, django_assert_num_queries):
    def record(count):
        for _ in range(count):
            commitment = make_commitment()
            services.record_update(
                StatusUpdate(
                    commitment=commitment,
                    happened_on=datetime.date(2025, 11, 3),
                    source=source,
                    note="Started.",
                    new_status="in_the_works",
                )
            )

    window = {"from": "2025-11-01", "to": "2025-11-30"}
    record(2)
    client.get("/changes/", window)  # warm what is cached per process
    with CaptureQueriesContext(connection) as few:
        client.get("/changes/", {**window, "kind": "defence_spending"})
    record(6)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/changes/", {**window, "kind": "defence_spending"})
    assert "8 commitments changed" in response.content.decode()
