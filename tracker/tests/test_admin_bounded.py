"""The admin stays the same size and runs the same queries however long a commitment's record grows."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker import services
from tracker.models import Actor, Quote, Reading, Source, StatusUpdate


def _grow(commitment, source, count: int, start: int) -> None:
    """`count` more events, each with its own source and a quote of it, and as many quotes of the commitment."""
    for n in range(start, start + count):
        own = Source.objects.create(description=f"Article {n}", kind="news_report", text=f"Words number {n} here.")
        quote = Quote.objects.create(text=f"Words number {n}", source=own)
        quote.commitments.add(commitment)
        services.record_update(
            StatusUpdate(
                commitment=commitment,
                happened_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
                happened_precision="day",
                source=own,
                quote=quote,
                note=f"Event {n}",
            )
        )
    Reading.objects.create(
        commitment=commitment, party=commitment.pledged_by, description=f"Reading {start}", quote=quote
    )


def _change_page(client, commitment):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/tracker/commitment/{commitment.pk}/change/")
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_a_commitments_change_page_shows_its_latest_events_in_the_same_queries_at_any_length(
    editor_client, defence_pledge, source
):
    _grow(defence_pledge, source, 4, 0)
    _change_page(editor_client, defence_pledge)  # what a process looks up once (content types…) is not the page's
    html, small = _change_page(editor_client, defence_pledge)
    _grow(defence_pledge, source, 40, 4)
    html, large = _change_page(editor_client, defence_pledge)
    assert large == small
    # The latest event is a form; the heading says how many there are and links to all of them.
    notes = re.findall(r'name="updates-\d+-note"[^>]*>\s*Event (\d+)', html)
    assert notes == ["43"]
    assert "the latest 1 of 44" in html
    assert f'href="../../../statusupdate/?commitment__id__exact={defence_pledge.pk}">all 44</a>' in html
    # Quotes: the latest 25 of 45 (the fixture's own and one per event), each labelled without a query of its own.
    assert "the latest 25 of 45" in html
    assert html.count('name="Quote_commitments-') > 25  # the rows' fields
    assert "Words number 43" in html and "Words number 5<" not in html
    # Without the templates' blank lines and indentation (a third of the page); the events' part, one form and the
    # empty one for "add another", stays small (bench/admin_page.py: 86 KB in all with 149 events).
    assert not re.search(r"\n[ \t\n]", html)
    events = html[html.index('id="updates-group"') : html.index('id="readings-group"')]
    assert len(events.encode()) < 50_000


def test_the_linked_lists_show_every_event_and_quote_of_the_commitment(editor_client, defence_pledge, source):
    _grow(defence_pledge, source, 4, 0)
    updates = editor_client.get(f"/admin/tracker/statusupdate/?commitment__id__exact={defence_pledge.pk}")
    assert updates.status_code == 200 and "4 status updates" in updates.content.decode()
    quotes = editor_client.get(f"/admin/tracker/quote/?commitments__id__exact={defence_pledge.pk}")
    assert quotes.status_code == 200 and "5 quotes" in quotes.content.decode()


def test_a_filter_over_many_related_rows_lists_only_the_one_in_use(editor_client, defence_pledge, source, monkeypatch):
    from tracker.admin import BoundedRelatedFilter

    _grow(defence_pledge, source, 3, 0)
    html = editor_client.get("/admin/tracker/quote/").content.decode()
    assert "?source__id__exact=" in html  # few sources: each listed
    monkeypatch.setattr(BoundedRelatedFilter, "LIMIT", 2)
    html = editor_client.get("/admin/tracker/quote/").content.decode()
    assert "?source__id__exact=" not in html
    chosen = Source.objects.get(description="Article 1")
    html = editor_client.get(f"/admin/tracker/quote/?source__id__exact={chosen.pk}").content.decode()
    other = Source.objects.get(description="Article 2")
    assert re.findall(r'class="field-source nowrap">([^<]*)<', html) == ["Article 1"]
    assert f"source__id__exact={other.pk}" not in html
    assert re.search(
        rf'<li class="selected">\s*<a href="[^"]*source__id__exact={chosen.pk}[^"]*"[^>]*>Article 1</a>', html
    )
    Actor.objects.create(name="Keidanren", slug="keidanren", kind="business", country="JP")
    assert Actor.objects.count() > 2
    assert "?pledged_by__id__exact=" not in editor_client.get("/admin/tracker/commitment/").content.decode()


def test_the_admins_blank_lines_go_but_a_textareas_value_keeps_its_own():
    from django.http import HttpResponse

    from tracker.admin import _without_blank_lines

    response = HttpResponse(
        '<div\n   class="a">\n    <p>\n\n  a</p>\n<textarea name="note">\n  two\n\n  lines</textarea><pre>\n  x\n</pre>\n</div>'
    )
    _without_blank_lines(response)
    assert response.content.decode() == (
        '<div\nclass="a">\n<p>\na</p>\n<textarea name="note">\n  two\n\n  lines</textarea><pre>\n  x\n</pre>\n</div>'
    )
