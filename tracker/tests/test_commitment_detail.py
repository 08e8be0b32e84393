import datetime
import re
from decimal import Decimal

import pytest

from tracker import services
from tracker.models import Actor, Commitment, CommitmentLink, Quote, StatusUpdate

pytestmark = pytest.mark.usefixtures("fixed_today")


def _page(client, slug="defence-2pct-gdp") -> str:
    response = client.get(f"/commitments/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id` (sections on this page do not nest)."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, f"no section labelled {heading_id}"
    return match.group(0)


def test_it_shows_target_deadline_quotes_and_history(client, defence_pledge, source):
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Brought forward.",
            new_deadline=datetime.date(2026, 3, 31),
            new_deadline_precision="month",
        )
    )
    html = _page(client)
    assert "2% of GDP, from about 1.8%" in html
    assert "by March 2026 (end of fiscal 2025)" in html
    assert "spend 2% of GDP on defence" in html
    assert "✓ verified in source" in html
    assert f'href="/sources/{source.pk}/"' in html
    assert '<time datetime="2025-10-24">24 October 2025</time>' in html
    assert "<del>fiscal 2027</del> → <ins>March 2026</ins>" in html


def test_it_says_plainly_that_the_seeded_defence_deadline_has_passed(client, seeded):
    html = _page(client)
    facts = re.search(r'<dl class="facts">.*?</dl>', html, re.S).group(0)
    assert "2% of GDP, from about 1.8%" in facts
    assert '(baseline as of <time datetime="2025-10">October 2025</time>)' in facts
    assert "by March 2026 (end of fiscal 2025)" in facts
    assert '<strong class="countdown passed">deadline passed 235 days ago</strong>' in facts


def test_it_counts_the_days_left_to_a_deadline_ahead(client, defence_pledge):
    html = _page(client)  # fiscal 2027 ends 31 March 2028
    assert "by fiscal 2027 (ends 31 March 2028)" in html
    assert '<strong class="countdown">496 days left</strong>' in html


@pytest.mark.parametrize("status", ["kept", "broken", "compromise"])
def test_it_gives_no_countdown_once_a_commitment_is_settled(client, defence_pledge, status):
    Commitment.objects.filter(pk=defence_pledge.pk).update(
        status=status, deadline=datetime.date(2026, 3, 31), deadline_precision="month"
    )
    html = _page(client)
    assert "by March 2026" in html
    facts = html.split('class="facts"')[1].split("</dl>")[0]
    assert "countdown" not in html and "days" not in facts


def test_it_says_when_there_is_no_deadline(client, make_commitment):
    make_commitment(slug="open-ended")
    assert "No deadline stated" in _page(client, "open-ended")


def test_it_links_the_status_and_formality_badges_to_their_definitions(client, seeded):
    html = _page(client)
    assert 'href="/methodology/#status-in_the_works"' in html
    assert 'href="/methodology/#formality-pledge"' in html


def test_it_charts_the_seeded_defence_measurements_against_the_target(client, seeded):
    progress = _section(_page(client), "progress-heading")
    assert re.search(r'<svg [^>]*role="img"[^>]*aria-labelledby="progress-chart-svg-title"', progress)
    assert (
        '<title id="progress-chart-svg-title">Defence spending of 2% of GDP: measurements against the target</title>'
        in progress
    )
    # The text equivalent: the baseline and the one measurement in the seed, and the target.
    assert "<li>Baseline, October 2025: about 1.8% of GDP</li>" in progress
    assert "<li>Measured, for October 2025: 1.8% of GDP</li>" in progress
    assert "<li>Target: 2% of GDP</li>" in progress
    assert "No measured progress yet" not in progress


def test_it_shows_a_baseline_against_the_target_when_nothing_has_been_measured(client, seeded):
    progress = _section(_page(client, "us-demand-defence-3-5pct"), "progress-heading")
    assert "<li>Baseline, October 2025: about 1.8% of GDP</li><li>Target: 3.5% of GDP</li>" in progress
    assert "No measured progress yet since the baseline." in progress


def test_it_shows_the_investment_target_and_no_made_up_progress(client, seeded):
    progress = _section(_page(client, "investment-550bn"), "progress-heading")
    assert "Target: $550 billion." in progress
    assert "No measured progress yet." in progress
    assert "<svg" not in progress and "400" not in progress


def test_it_shows_no_progress_section_without_a_numeric_target(client, seeded):
    html = _page(client, "purchase-soybeans")
    assert "No numeric target stated" in html
    assert "progress-heading" not in html and "<svg" not in html


def test_it_links_each_quote_to_its_context_with_a_place_for_it(client, defence_pledge):
    quote = defence_pledge.quotes.get()
    url = f"/quotes/{quote.pk}/context/"
    html = _page(client)
    assert (
        f'<a href="{url}" data-hx-get="{url}" data-hx-target="#quote-context-{quote.pk}" data-hx-swap="outerHTML">'
        f'Show in context</a></p>\n        <div id="quote-context-{quote.pk}"></div>'
    ) in html


def test_it_gives_each_quote_its_speaker_date_and_dated_source(client, seeded):
    quotes = _section(_page(client), "quotes-heading")
    assert quotes.count('<li class="quote">') == Quote.objects.filter(commitments__slug="defence-2pct-gdp").count()
    assert "Sanae Takaichi" in quotes
    assert "date not stated" in quotes
    assert '(<time datetime="2025-10-28">28 October 2025</time>)' in quotes


def test_it_marks_a_quote_missing_from_its_source(client, defence_pledge, source):
    quote = Quote.objects.create(text="Words nobody wrote", source=source)
    quote.commitments.add(defence_pledge)
    assert "not found in source" in _page(client)


def test_it_tells_the_history_with_dates_as_precise_as_their_sources(client, seeded):
    history = _section(_page(client), "history-heading")
    # Oldest first: the 2022 strategy, the October 2025 measurement (a report date), the deadline moved forward.
    assert (
        history.index('<time datetime="2022">2022</time> <span class="precision">(to the year)</span>')
        < history.index(
            '<time datetime="2025-10">October 2025</time> <span class="precision">(to the month)</span> '
            '<span class="flag">— reported; date of the event not stated</span>'
        )
        < history.index("<del>fiscal 2027</del> → <ins>March 2026</ins>")
    )
    assert "<strong>status:</strong> <del>Not yet rated</del> → <ins>In the works</ins>" in history
    assert "<strong>target:</strong> <del>none</del> → <ins>2% of GDP</ins>" in history
    assert "Measured: 1.8% of GDP for October 2025" in history


def test_it_shows_the_quote_an_update_rests_on(client, defence_pledge, source, japan):
    speaker = Actor.objects.create(name="Sanae Takaichi", slug="takaichi", kind="person", country="JP")
    quote = Quote.objects.create(text="That’s a hot truck.", source=source, speaker=speaker)
    StatusUpdate.objects.create(
        commitment=defence_pledge, happened_on=datetime.date(2025, 10, 28), source=source, quote=quote, note="Said so."
    )
    history = _section(_page(client), "history-heading")
    assert (
        '<blockquote lang="en"><p>That’s a hot truck.</p></blockquote>\n          <figcaption>— Sanae Takaichi</figcaption>'
        in history
    )


def test_it_reads_related_commitments_from_either_end(client, defence_pledge, make_commitment, usa, japan):
    demand = make_commitment(slug="us-demand", title="US call for 3.5% of GDP", pledged_by=usa, pledged_to=japan)
    strategy = make_commitment(slug="strategy", title="Update the strategy")
    whole = make_commitment(slug="package", title="The whole package")
    CommitmentLink.objects.create(from_commitment=demand, to_commitment=defence_pledge, relation="answers")
    CommitmentLink.objects.create(from_commitment=strategy, to_commitment=defence_pledge, relation="follows_up")
    CommitmentLink.objects.create(from_commitment=defence_pledge, to_commitment=whole, relation="part_of")
    related = _section(_page(client), "related-heading")
    assert 'This commitment is answered by <a href="/commitments/us-demand/">US call for 3.5% of GDP</a>' in related
    assert 'This commitment is followed up by <a href="/commitments/strategy/">Update the strategy</a>' in related
    assert 'This commitment is part of <a href="/commitments/package/">The whole package</a>' in related
    assert 'This commitment answers <a href="/commitments/defence-2pct-gdp/">' in _page(client, "us-demand")
    assert 'This commitment includes <a href="/commitments/defence-2pct-gdp/">' in _page(client, "package")


def test_it_reads_the_seeded_links_both_ways(client, seeded):
    related = _section(_page(client, "investment-550bn"), "related-heading")
    assert "This commitment is the other half of the deal with" in related
    assert "This commitment is part of" in related
    trade = _section(_page(client, "trade-agreement-july-2025"), "related-heading")
    assert trade.count("This commitment includes") == 4


def test_it_shows_the_editors_note(client, seeded):
    note = _section(_page(client), "note-heading")
    assert "Sources disagree on how far the deadline moved" in note


def test_it_escapes_everything_stored(client, make_commitment, source):
    evil = "<script>alert(1)</script>"
    commitment = make_commitment(
        slug="evil",
        title=evil,
        summary=evil,
        note=evil,
        unit="units",
        unit_label=evil,
        target_value=Decimal(3),
        baseline_value=Decimal(1),
    )
    speaker = Actor.objects.create(name=evil, slug="evil", kind="person", country="JP")
    quote = Quote.objects.create(text=evil, source=source, speaker=speaker, note=evil)
    quote.commitments.add(commitment)
    StatusUpdate.objects.create(commitment=commitment, happened_on=datetime.date(2025, 10, 28), quote=quote, note=evil)
    html = _page(client, "evil")
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8


def test_it_answers_404_for_an_unknown_commitment(client, db):
    assert client.get("/commitments/no-such-thing/").status_code == 404


def test_it_refuses_to_write(client, defence_pledge):
    assert client.post("/commitments/defence-2pct-gdp/").status_code == 405


def test_it_runs_six_queries_however_long_the_record(
    client, defence_pledge, source, make_commitment, django_assert_num_queries
):
    for day in range(1, 15):
        quote = Quote.objects.create(text="hot truck", source=source)
        quote.commitments.add(defence_pledge)
        services.record_update(
            StatusUpdate(
                commitment=defence_pledge,
                happened_on=datetime.date(2025, 10, day),
                source=source,
                quote=quote,
                note="x",
                measured_value=Decimal("1.8"),
                measured_as_of=datetime.date(2025, 10, day),
                measured_precision="day",
            )
        )
        other = make_commitment()
        CommitmentLink.objects.create(from_commitment=other, to_commitment=defence_pledge, relation="answers")
    with django_assert_num_queries(6):
        html = _page(client)
    assert html.count("Show in context") == 15
    assert html.count("This commitment is answered by") == 14


def test_a_long_record_stays_a_page_of_reasonable_size(client, defence_pledge, source, django_assert_num_queries):
    import datetime

    from tracker import services
    from tracker.models import Quote, StatusUpdate

    for day in range(1, 36):
        services.record_update(
            StatusUpdate(
                commitment=defence_pledge,
                happened_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
                source=source,
                note=f"Update number {day}.",
            )
        )
    for _ in range(29):  # with the fixture's own quote: 30
        Quote.objects.create(text="hot truck", source=source).commitments.add(defence_pledge)
    with django_assert_num_queries(6):
        html = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert html.count('<p class="when">') == 30
    assert "Update number 35." in html and "Update number 5." not in html
    assert "The latest 30 of 35 updates." in html
    assert 'href="/timeline/?commitment=defence-2pct-gdp">The full history on the timeline</a>' in html
    assert html.count('<li class="quote">') == 25
    assert '<a rel="next" href="?quotes=2#quotes-heading">Later quotes →</a>' in html
    second = client.get("/commitments/defence-2pct-gdp/", {"quotes": "2"}).content.decode()
    assert second.count('<li class="quote">') == 5
    assert '<ol class="quotes" start="26">' in second
    assert "Quotes 26–30 of 30" in second
    # a page number it does not understand shows the first page
    assert (
        client.get("/commitments/defence-2pct-gdp/", {"quotes": "x"}).content.decode().count('<li class="quote">') == 25
    )


def test_a_short_record_links_its_history_on_the_timeline(client, defence_pledge, source):
    import datetime

    from tracker import services
    from tracker.models import StatusUpdate

    services.record_update(
        StatusUpdate(commitment=defence_pledge, happened_on=datetime.date(2025, 10, 24), source=source, note="x")
    )
    html = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert 'href="/timeline/?commitment=defence-2pct-gdp">This history on the timeline</a>' in html
    assert "The latest" not in html and "Pages of quotes" not in html
