"""The public corrections log: an edit of something published asks for a reason, and the log shows it, old → new."""

import re

import feedparser
import pytest

from tracker.models import Commitment, Quote, StatusUpdate
from tracker.tests.admin_forms import admin_form_data

REASON = "The article names no speaker: these are its own words."


def _change_url(obj):
    return f"/admin/tracker/{obj._meta.model_name}/{obj.pk}/change/"


def test_editing_a_commitment_asks_why_and_the_log_shows_the_change(editor_client, client, defence_pledge):
    data = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    data["summary"] = "Japan will spend 2% of GDP on defence."
    response = editor_client.post(_change_url(defence_pledge), data)
    assert response.status_code == 200
    assert "Say why you are correcting this" in response.content.decode()
    assert Commitment.objects.get(pk=defence_pledge.pk).summary != data["summary"]

    data = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    data["summary"] = "Japan will spend 2% of GDP on defence."
    data["change_reason"] = "The summary overstated the deadline."
    assert editor_client.post(_change_url(defence_pledge), data).status_code == 302

    html = client.get("/corrections/").content.decode()
    assert "Commitment corrected" in html
    assert "Japan will spend 2% of GDP on defence." in html
    assert "The summary overstated the deadline." in html
    assert defence_pledge.get_absolute_url() in html


def test_a_new_event_needs_no_reason_and_is_not_a_correction(editor_client, client, defence_pledge, source):
    response = editor_client.post(
        "/admin/tracker/statusupdate/add/",
        {
            "commitment": defence_pledge.pk,
            "happened_on": "2025-11-01",
            "happened_precision": "day",
            "source": source.pk,
            "note": "Something new happened.",
            "new_status": "in_the_works",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "No corrections yet." in client.get("/corrections/").content.decode()


def test_editing_an_event_is_a_correction_with_its_old_and_new_values(editor_client, client, history):
    update = StatusUpdate.objects.filter(new_status="in_the_works").first()
    data = admin_form_data(editor_client, _change_url(update), "statusupdate_form")
    data["new_status"] = "stalled"
    assert editor_client.post(_change_url(update), data).status_code == 200  # no reason: refused
    data["change_reason"] = "The source shows the work blocked."
    response = editor_client.post(_change_url(update), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get("/corrections/").content.decode()
    assert "Event corrected" in html
    assert "<td>In the works</td><td>Stalled</td>" in html
    assert "The source shows the work blocked." in html


def test_editing_a_quote_asks_why(editor_client, client, source, defence_pledge):
    quote = Quote.objects.create(text="That’s a hot truck.", source=source)
    data = admin_form_data(editor_client, _change_url(quote), "quote_form")
    data["note"] = "Said of the F-150."
    data["commitments"] = [defence_pledge.pk]
    assert editor_client.post(_change_url(quote), data).status_code == 200
    data["change_reason"] = REASON
    assert editor_client.post(_change_url(quote), data).status_code == 302
    assert REASON in client.get("/corrections/").content.decode()


def test_the_corrections_feed_is_valid_atom(editor_client, client, defence_pledge):
    data = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    data["summary"] = "Corrected summary."
    data["change_reason"] = "Wrong summary."
    editor_client.post(_change_url(defence_pledge), data)
    response = client.get("/corrections/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.entries[0].title == "Commitment corrected: Defence spending of 2% of GDP"
    assert "Reason: Wrong summary." in feed.entries[0].summary


def test_the_log_and_the_methodology_are_in_the_menu_the_footer_and_the_sitemap(client, seeded, fixed_today):
    home = client.get("/").content.decode()
    assert home.count('href="/methodology/"') >= 2  # menu and footer
    assert home.count('href="/corrections/"') >= 2
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/methodology/</loc>" in sitemap and "/corrections/</loc>" in sitemap


def test_the_methodology_explains_each_rating_with_our_own_examples(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = client.get("/methodology/").content.decode()
    for anchor in ("status-not_rated", "status-kept", "formality-agreement", "formality-pledge", "corrections"):
        assert f'id="{anchor}"' in html
    assert "fiscal 2027 ends on 31 March 2028" in html
    # The worked examples say what the data says.
    assert Commitment.objects.get(slug="us-tariff-15pct").status == "kept"
    assert Commitment.objects.get(slug="us-demand-defence-3-5pct").status == "not_rated"
    assert Commitment.objects.get(slug="rare-earths-critical-minerals").formality == "agreement"
    assert Commitment.objects.get(slug="trade-agreement-july-2025").formality == "pledge"


@pytest.mark.parametrize("path", ["/commitments/", "/commitments/defence-2pct-gdp/"])
def test_every_rating_badge_links_to_the_methodology(client, seeded, fixed_today, path):
    html = client.get(path).content.decode()
    badges = re.findall(r'<\w+ class="badge [^>]*>', html)
    assert badges
    assert all(badge.startswith("<a ") and 'href="/methodology/#' in badge for badge in badges), badges
