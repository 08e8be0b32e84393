import datetime
import re
from decimal import Decimal

import pytest

from tracker import services
from tracker.models import Commitment, CommitmentKind, Status, StatusUpdate
from tracker.tests.values import TODAY

pytestmark = pytest.mark.usefixtures("fixed_today")


def _page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, heading_id: str) -> str:
    """From the heading `heading_id` to the end of its <section> (one level of nested sections allowed)."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(?:(?!<section).)*?(?:<section.*?</section>(?:(?!<section).)*?)*</section>',
        html,
        re.S,
    )
    assert match, f"no section labelled {heading_id}"
    return match.group(0)


def _items(html: str, list_id: str) -> list[str]:
    block = re.search(rf'<ol class="dated-list" id="{list_id}">(.*?)</ol>', html, re.S)
    return (
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
        ]
        if block
        else []
    )


def test_it_tallies_the_seeded_commitments_by_status_and_kind_with_links_to_the_index(client, seeded):
    html = _page(client)
    assert "22 commitments tracked (and" in html and ">7 parts of them</a>" in html
    by_status = _section(html, "by-status-heading")
    # Top-level commitments only: the parts (the items of the purchase package…) are counted once, in the whole.
    top_level = Commitment.objects.exclude(links_out__relation="part_of")
    for status in Status:
        count = top_level.filter(status=status).count()
        assert (
            f'<a href="/commitments/?level=top&amp;status={status.value}">{status.label}</a> '
            f'<span class="count">{count}</span>' in by_status
        )
    by_kind = _section(html, "by-kind-heading")
    for kind in CommitmentKind:
        count = top_level.filter(kind=kind).count()
        assert (
            f'<a href="/commitments/?level=top&amp;kind={kind.value}">{kind.label}</a> '
            f'<span class="count">{count}</span>' in by_kind
        )
    assert (
        '<a href="/commitments/?level=top&amp;status=in_the_works">In the works</a> <span class="count">9</span>'
        in by_status
    )


def test_it_lists_deadlines_ahead_soonest_first_and_passed_ones_apart(client, seeded):
    html = _page(client)
    upcoming = _items(html, "upcoming-deadlines")
    assert upcoming == [
        "Japan donates 250 cherry trees for the US 250th anniversary by 2026 (31 December 2026) — 40 days left · Not yet rated",
        "Japan updates its National Security Strategy in 2026 by 2026 (31 December 2026) — 40 days left · In the works",
    ]
    assert _items(html, "passed-deadlines") == [
        "Defence spending of 2% of GDP by March 2026 (end of fiscal 2025) — deadline passed 235 days ago · In the works"
    ]
    assert "Commitments without a stated deadline are not listed here." in html


def test_it_orders_deadlines_and_keeps_the_lists_short(client, make_commitment):
    for days in (300, 3, 30, 0, 100, 200):
        make_commitment(title=f"Ahead {days}", deadline=TODAY + datetime.timedelta(days=days), deadline_precision="day")
    for days in (1, 400, 20, 2, 90, 60):
        make_commitment(
            title=f"Behind {days}", deadline=TODAY - datetime.timedelta(days=days), deadline_precision="day"
        )
    make_commitment(title="Undated")
    html = _page(client)
    assert [item.split(" by ")[0] for item in _items(html, "upcoming-deadlines")] == [
        "Ahead 0",
        "Ahead 3",
        "Ahead 30",
        "Ahead 100",
        "Ahead 200",
    ]
    assert "due today" in _items(html, "upcoming-deadlines")[0]
    assert [item.split(" by ")[0] for item in _items(html, "passed-deadlines")] == [
        "Behind 1",
        "Behind 2",
        "Behind 20",
        "Behind 60",
        "Behind 90",
    ]
    assert "deadline passed 1 day ago" in _items(html, "passed-deadlines")[0]
    assert "Undated" not in _section(html, "deadlines-heading")


def test_it_marks_a_passed_deadline_even_for_a_settled_commitment(client, make_commitment):
    make_commitment(
        title="Done late", status=Status.KEPT, deadline=datetime.date(2026, 3, 31), deadline_precision="month"
    )
    assert _items(_page(client), "passed-deadlines") == [
        "Done late by March 2026 (end of fiscal 2025) — deadline passed 235 days ago · Kept"
    ]


def test_it_lists_the_most_recently_updated_commitments_first_with_dates_as_precise_as_known(
    client, make_commitment, source
):
    older = make_commitment(title="Older news")
    newer = make_commitment(title="Newer news")
    make_commitment(title="Never updated")
    StatusUpdate.objects.create(
        commitment=older, happened_on=datetime.date(2025, 6, 1), happened_precision="month", note="Old."
    )
    StatusUpdate.objects.create(
        commitment=newer, happened_on=datetime.date(2025, 5, 1), happened_precision="month", note="First."
    )
    StatusUpdate.objects.create(
        commitment=newer,
        happened_on=datetime.date(2025, 10, 28),
        date_is_report_date=True,
        note="Latest word.",
    )
    html = _page(client)
    assert _items(html, "recent-updates") == [
        "Newer news 28 October 2025 (reported; date of the event not stated) · Not yet rated Latest word.",
        "Older news June 2025 · Not yet rated Old.",
    ]
    assert '<time datetime="2025-06">June 2025</time>' in html


def test_it_shows_seeded_defence_spending_against_two_percent(client, seeded):
    headline = _section(_page(client), "headline-defence-2pct-gdp-heading")
    assert '<a href="/commitments/defence-2pct-gdp/">Defence spending of 2% of GDP</a>' in headline
    assert re.search(r'<svg [^>]*role="img"[^>]*aria-labelledby="chart-defence-2pct-gdp-svg-title"', headline)
    assert "Defence spending of 2% of GDP: the latest figure against the target</title>" in headline
    assert "<li>Measured, for October 2025: 1.8% of GDP</li><li>Target: 2% of GDP</li>" in headline
    assert "Baseline" not in headline  # the latest figure only
    assert "deadline passed 235 days ago" in headline


def test_it_falls_back_to_the_baseline_when_defence_spending_was_never_measured(client, defence_pledge):
    headline = _section(_page(client), "headline-defence-2pct-gdp-heading")
    assert "<li>Baseline: about 1.8% of GDP</li><li>Target: 2% of GDP</li>" in headline
    assert "No measured progress yet: the bar shows the baseline." in headline
    assert "496 days left" in headline


def test_it_shows_a_new_defence_measurement_as_the_latest_figure(client, defence_pledge, source):
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2026, 6, 1),
            happened_precision="month",
            source=source,
            note="Budget passed.",
            measured_value=Decimal("1.9"),
            measured_as_of=datetime.date(2026, 4, 1),
            measured_precision="month",
        )
    )
    headline = _section(_page(client), "headline-defence-2pct-gdp-heading")
    assert "<li>Measured, for April 2026: 1.9% of GDP</li>" in headline
    assert "No measured progress yet" not in headline


def test_it_shows_the_investment_target_without_inventing_progress(client, seeded):
    headline = _section(_page(client), "headline-investment-550bn-heading")
    assert (
        '<a href="/commitments/investment-550bn/">Japan steers $550 billion of investment to US projects</a>'
        in headline
    )
    assert "Target: $550 billion." in headline
    assert "No measured progress yet." in headline
    assert "<svg" not in headline and "400" not in headline
    assert "No deadline stated." in headline


def test_it_renders_an_empty_database(client, db):
    html = _page(client)
    assert "0 commitments tracked" in html
    assert html.count("Not in the tracker yet.") == 2
    assert "No deadline ahead." in html and "No deadline has passed." in html
    assert "No update recorded yet." in html
    assert '<a href="/commitments/?level=top&amp;status=kept">Kept</a> <span class="count">0</span>' in html


def test_it_escapes_stored_html(client, make_commitment, source):
    evil = "<script>alert(1)</script>"
    commitment = make_commitment(
        slug="defence-2pct-gdp",
        title=evil,
        unit="units",
        unit_label=evil,
        target_value=Decimal(5),
        deadline=datetime.date(2026, 12, 31),
        deadline_precision="day",
    )
    StatusUpdate.objects.create(
        commitment=commitment, happened_on=datetime.date(2025, 10, 28), note=evil, measured_value=Decimal(1)
    )
    html = _page(client)
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 6


def test_it_refuses_to_write(client, db):
    assert client.post("/").status_code == 405


def test_it_runs_six_queries_however_many_commitments(client, seeded, django_assert_num_queries):
    defence = Commitment.objects.get(slug="defence-2pct-gdp")
    for n in range(30):
        commitment = Commitment.objects.create(
            slug=f"extra-{n}",
            title=f"Extra {n}",
            summary="More.",
            kind=CommitmentKind.PURCHASE,
            pledged_by=defence.pledged_by,
            deadline=TODAY + datetime.timedelta(days=n - 15),
            deadline_precision="day",
        )
        StatusUpdate.objects.create(commitment=commitment, happened_on=datetime.date(2025, 11, 1), note="x")
        StatusUpdate.objects.create(
            commitment=defence,
            happened_on=datetime.date(2025, 11, 1),
            note="x",
            measured_value=Decimal("1.8"),
        )
    # Tallies, the count needing review, deadlines ahead, deadlines passed, latest updates, the headline commitments
    # and their measurements.
    with django_assert_num_queries(7):
        html = _page(client)
    assert len(_items(html, "upcoming-deadlines")) == 5 and len(_items(html, "recent-updates")) == 8
