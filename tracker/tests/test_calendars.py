"""Deadline calendars (iCalendar): every commitment, any filtered view of the index, one commitment."""

import datetime

from icalendar import Calendar

from tracker.models import Commitment


def _parse(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, dict]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_a_commitments_deadline_is_an_all_day_event_on_its_periods_last_day(client, history):
    calendar = _parse(client, "/commitments/defence-2pct-gdp/calendar.ics")
    assert str(calendar["version"]) == "2.0"
    (event,) = calendar.walk("VEVENT")
    # "by March 2026": all day on 31 March 2026 (a date, not a time), the precision in words
    assert event.decoded("dtstart") == datetime.date(2026, 3, 31)
    assert not isinstance(event.decoded("dtstart"), datetime.datetime)
    assert event.decoded("dtend") == datetime.date(2026, 4, 1)
    assert "by March 2026" in str(event["summary"])
    assert str(event["url"]) == "http://testserver/commitments/defence-2pct-gdp/"
    assert "http://testserver/commitments/defence-2pct-gdp/" in str(event["description"])
    assert str(event["uid"]) == "deadline-defence-2pct-gdp@testserver"


def test_a_lapse_date_is_its_own_event_and_never_called_a_deadline(client, make_commitment):
    make_commitment(slug="tariff", title="A 150-day tariff", lapses_on=datetime.date(2026, 2, 1))
    events = _events(_parse(client, "/commitments/tariff/calendar.ics"))
    assert list(events) == ["lapse-tariff@testserver"]
    lapse = events["lapse-tariff@testserver"]
    assert lapse.decoded("dtstart") == datetime.date(2026, 2, 1)
    assert str(lapse["summary"]) == "Lapses: A 150-day tariff"
    assert "not a deadline" in str(lapse["description"])


def test_the_index_calendar_follows_the_index_filters(client, history, make_commitment):
    make_commitment(
        slug="lng", title="Buy LNG", kind="purchase", deadline=datetime.date(2026, 12, 31), deadline_precision="year"
    )
    everything = _events(_parse(client, "/commitments.ics"))
    assert set(everything) == {"deadline-defence-2pct-gdp@testserver", "deadline-lng@testserver"}
    purchases = _events(_parse(client, "/commitments.ics?kind=purchase"))
    assert set(purchases) == {"deadline-lng@testserver"}
    assert "by 2026" in str(purchases["deadline-lng@testserver"]["summary"])


def test_the_index_calendar_shows_deadlines_as_they_stood_on_as_of(client, history):
    # Before the deadline was brought forward on 24 October 2025, it was fiscal 2027 (31 March 2028).
    events = _events(_parse(client, "/commitments.ics?as_of=2025-10-20"))
    assert events["deadline-defence-2pct-gdp@testserver"].decoded("dtstart") == datetime.date(2028, 3, 31)
    assert "fiscal 2027" in str(events["deadline-defence-2pct-gdp@testserver"]["summary"])


def test_hostile_titles_are_escaped_and_the_feed_still_parses(client, make_commitment):
    hostile = 'Evil, title; with\\ "quotes"\nEND:VCALENDAR\r\nBEGIN:VEVENT <script>'
    make_commitment(slug="evil", title=hostile, deadline=datetime.date(2026, 6, 30), deadline_precision="month")
    body = client.get("/commitments.ics").content
    assert b"\nEND:VCALENDAR\r\nBEGIN:VEVENT" not in body  # the newline cannot start a line of its own
    calendar = Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    # what was stored, unharmed after parsing (iCalendar text keeps line breaks as bare newlines)
    assert str(event["summary"]) == f"Deadline: {hostile.replace(chr(13), '')} (by June 2026 (30 June 2026))"
    assert len(calendar.walk("VCALENDAR")) == 1


def test_unknown_commitment_and_junk_parameters(client, db):
    assert client.get("/commitments/nope/calendar.ics").status_code == 404
    assert client.get("/commitments.ics?kind=<x>&as_of=junk").status_code == 200
    assert client.get("/commitments.ics?utm=1").status_code == 301


def test_the_calendars_are_linked_where_a_reader_looks(client, history):
    index = client.get("/commitments/?kind=purchase").content.decode()
    assert 'href="/commitments.ics?kind=purchase"' in index
    detail = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert 'href="/commitments/defence-2pct-gdp/calendar.ics"' in detail


def test_the_index_calendar_costs_a_constant_number_of_queries(client, make_commitment, django_assert_max_num_queries):
    for _n in range(5):
        make_commitment(deadline=datetime.date(2026, 12, 31), deadline_precision="year")
    with django_assert_max_num_queries(6):
        assert client.get("/commitments.ics").status_code == 200
    assert Commitment.objects.count() == 5
