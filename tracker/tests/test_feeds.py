import feedparser


def parse_feed(client, url):
    """The Atom feed at `url`, parsed; it must answer 200, as Atom, and be well formed."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_the_timeline_feed_is_valid_atom_with_every_event(client, history):
    feed = parse_feed(client, "/timeline/feed/")
    assert feed.version == "atom10"
    assert len(feed.entries) == 4
    newest = feed.entries[0]
    assert newest.link == f"http://testserver/timeline/updates/{history['measured'].pk}/"
    assert "Measured: 1.8% of GDP" in newest.summary
    assert any("deadline: fiscal 2027 → March 2026" in entry.title for entry in feed.entries)


def test_each_commitment_has_its_own_feed(client, history):
    feed = parse_feed(client, "/commitments/defence-2pct-gdp/feed/")
    assert feed.feed.title.startswith("Defence spending of 2% of GDP")
    titles = [entry.title for entry in feed.entries]
    assert all(not title.startswith("Buy soybeans") for title in titles)
    assert len([title for title in titles if title.startswith("Defence spending")]) == 2


def test_an_unknown_commitment_has_no_feed(client, db):
    assert client.get("/commitments/nope/feed/").status_code == 404


def test_the_feed_escapes_stored_html(client, make_commitment, source):
    import datetime

    from tracker import services
    from tracker.models import StatusUpdate

    evil = make_commitment(title="<script>alert(1)</script>")
    services.record_update(
        StatusUpdate(commitment=evil, happened_on=datetime.date(2025, 10, 1), source=source, note="<b>x</b>")
    )
    body = client.get("/timeline/feed/").content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    assert not feedparser.parse(body).bozo
