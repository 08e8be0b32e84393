import datetime
import re

import pytest

from tracker import services
from tracker.models import Source, StatusUpdate


def _event_ids(response) -> list[str]:
    return re.findall(r'<li class="event event-\w+" id="([\w-]+)"', response.content.decode())


def test_it_lists_every_event_newest_first_with_what_changed(client, history):
    response = client.get("/timeline/")
    assert _event_ids(response) == [
        f"update-{history['measured'].pk}",
        f"update-{history['moved'].pk}",
        f"update-{history['started'].pk}",
        f"source-{history['source'].pk}",
    ]
    html = response.content.decode()
    assert "<del>fiscal 2027</del> → <ins>March 2026</ins>" in html
    assert "Measured: 1.8% of GDP for November 2025" in html
    assert f'href="/timeline/updates/{history["moved"].pk}/"' in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"type": "deadline"}, ["moved"]),
        ({"type": "status"}, ["started"]),
        ({"type": "measurement"}, ["measured"]),
        ({"kind": "purchase"}, ["started"]),
        ({"commitment": "defence-2pct-gdp", "type": "deadline"}, ["moved"]),
        ({"party": "japan", "type": "status"}, ["started"]),
    ],
)
def test_it_filters_by_type_kind_party_and_commitment(client, history, query, expected):
    assert _event_ids(client.get("/timeline/", query)) == [f"update-{history[name].pk}" for name in expected]


def test_it_lists_new_sources_and_their_commitments(client, history):
    assert _event_ids(client.get("/timeline/", {"type": "source"})) == [f"source-{history['source'].pk}"]


def test_it_has_year_and_month_archives(client, history):
    assert len(_event_ids(client.get("/timeline/2025/"))) == 4
    assert _event_ids(client.get("/timeline/2025/11/")) == [f"update-{history['measured'].pk}"]
    assert _event_ids(client.get("/timeline/2024/")) == []
    assert client.get("/timeline/2025/13/").status_code == 404


def test_it_loads_more_events_as_a_fragment_and_pages_without_javascript(client, defence_pledge, source):
    for day in range(1, 32):
        services.record_update(
            StatusUpdate(
                commitment=defence_pledge, happened_on=datetime.date(2025, 12, day), source=source, note=f"Day {day}"
            )
        )
    first = client.get("/timeline/")
    assert len(_event_ids(first)) == 30
    html = first.content.decode()
    assert 'href="?page=2"' in html and 'rel="next"' in html
    more = client.get("/timeline/", {"page": "2", "more": "1"}, headers={"HX-Request": "true"})
    fragment = more.content.decode()
    assert "<html" not in fragment and "<ol" not in fragment
    assert len(_event_ids(more)) == 1
    assert "Load more" not in fragment


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999"])
def test_it_answers_an_impossible_page_with_a_message(client, history, page):
    response = client.get("/timeline/", {"page": page})
    assert response.status_code == 200
    assert "That page does not exist" in response.content.decode()


def test_it_ignores_unknown_filters_with_a_message(client, history):
    response = client.get("/timeline/", {"type": "<script>", "party": "nobody"})
    html = response.content.decode()
    assert "Not understood, so ignored: Party, Event." in html
    assert len(_event_ids(response)) == 4


def test_the_permalink_shows_one_event(client, history):
    response = client.get(f"/timeline/updates/{history['moved'].pk}/")
    assert response.status_code == 200
    assert "<del>fiscal 2027</del> → <ins>March 2026</ins>" in response.content.decode()
    assert client.get("/timeline/updates/999999/").status_code == 404


def test_it_runs_a_constant_number_of_queries(client, history, defence_pledge, source, django_assert_num_queries):
    # parties, the page of events, its updates, its sources (the form no longer loads every commitment for a menu:
    # see TimelineFilterForm); filtered to a commitment: parties, its title, its events, their updates (its only
    # source has no publication date, so there is no source event to fetch)
    with django_assert_num_queries(4):
        client.get("/timeline/")
    for day in range(1, 29):
        services.record_update(
            StatusUpdate(commitment=defence_pledge, happened_on=datetime.date(2025, 12, day), source=source, note="x")
        )
        Source.objects.create(
            description=f"s{day}",
            kind="news_report",
            text="t",
            published_on=datetime.date(2025, 12, day),
            published_precision="day",
        )
    with django_assert_num_queries(4):
        client.get("/timeline/")
    with django_assert_num_queries(4):
        client.get("/timeline/", {"commitment": "defence-2pct-gdp"})


def test_the_commitment_menu_shows_only_when_a_commitment_is_chosen(client, history):
    assert 'name="commitment"' not in client.get("/timeline/").content.decode()
    html = client.get("/timeline/", {"commitment": "defence-2pct-gdp"}).content.decode()
    assert '<option value="defence-2pct-gdp" selected>Defence spending of 2% of GDP</option>' in html
    assert '<option value="">Any commitment</option>' in html
    assert (
        "Not understood, so ignored: Commitment." in client.get("/timeline/", {"commitment": "nope"}).content.decode()
    )


def test_it_refuses_to_write(client, db):
    assert client.post("/timeline/").status_code == 405
