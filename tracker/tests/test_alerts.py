"""Alerts for any view: the Atom feed of the events of the commitments a filtered view of the index selects."""

import datetime

import feedparser

from tracker import services
from tracker.models import StatusUpdate
from tracker.tests.test_feeds import parse_feed


def test_the_alert_feed_follows_the_index_filters(client, history):
    everything = parse_feed(client, "/commitments.atom")
    assert len(everything.entries) == 3  # every event (the timeline's new sources are not alerts on commitments)
    purchases = parse_feed(client, "/commitments.atom?kind=purchase")
    assert [entry.title for entry in purchases.entries] == ["Buy soybeans: status: Not yet rated → In the works"]
    assert purchases.feed.title == "Japan–US commitments tracker: alerts for kind: purchase"
    assert purchases.entries[0].link == f"http://testserver/timeline/updates/{history['started'].pk}/"


def test_purchases_whose_status_changed(client, history, make_commitment, source):
    lng = make_commitment(slug="lng", title="Buy LNG", kind="purchase")
    services.record_update(
        StatusUpdate(commitment=lng, happened_on=datetime.date(2025, 11, 2), source=source, note="Bought some.",
                     measured_value="5", measured_as_of=datetime.date(2025, 11, 1), measured_precision="month")
    )  # fmt: skip
    feed = parse_feed(client, "/commitments.atom?kind=purchase&type=status")
    assert [entry.title for entry in feed.entries] == ["Buy soybeans: status: Not yet rated → In the works"]
    assert feed.feed.link == "http://testserver/commitments/?kind=purchase"  # the index takes the filters, not type
    assert feed.feed.id == "http://testserver/commitments.atom?kind=purchase&type=status"  # its own feed
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {feed.feed.id}
    assert len(parse_feed(client, "/commitments.atom?kind=purchase").entries) == 2


def test_hostile_text_is_escaped_in_the_alert_feed(client, make_commitment, source):
    evil = make_commitment(title="<script>alert(1)</script>", kind="purchase")
    services.record_update(
        StatusUpdate(commitment=evil, happened_on=datetime.date(2025, 10, 1), source=source, note="<b>x</b>&")
    )
    body = client.get("/commitments.atom?q=%3Cscript%3E&kind=purchase").content.decode()
    assert "<script>" not in body and "<b>" not in body
    assert not feedparser.parse(body).bozo


def test_the_index_links_its_alert_feed_with_its_filters(client, history):
    page = client.get("/commitments/?kind=purchase&sort=title&as_of=2025-11-01").content.decode()
    assert 'href="/commitments.atom?kind=purchase"' in page  # the filters, not the day or the order
    assert 'rel="alternate" type="application/atom+xml" title="Alerts for these commitments"' in page


def test_parameters_the_feed_does_not_take(client, db):
    assert client.get("/commitments.atom?as_of=2025-10-01").status_code == 301
    assert client.get("/commitments.atom?type=nonsense&status=<x>").status_code == 200


def test_the_alert_feed_costs_a_constant_number_of_queries(client, history, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/commitments.atom")
