"""Saying what really happened: measurements with their basis, legal basis and lapse dates, parts that add up, each
side's reading, honest staleness and the review queue, and feeds that tell subscribers about back-filled news.

Synthetic developments only (the seed stays the five articles): a supplementary budget counted for the first time,
a tariff limited to a number of days, an investment paid out in tranches.
"""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from tracker import services
from tracker.models import (
    Actor,
    Commitment,
    CommitmentLink,
    Country,
    Quote,
    Reading,
    RelationKind,
    ReviewCheck,
    StatusUpdate,
)
from tracker.tests.values import TODAY

ATOM = "{http://www.w3.org/2005/Atom}"


def _measure(commitment, source, value, happened_on, period_start, precision, **fields):
    return services.record_update(
        StatusUpdate(
            commitment=commitment,
            happened_on=happened_on,
            source=source,
            note=fields.pop("note", "Measured."),
            measured_value=Decimal(value),
            measured_as_of=period_start,
            measured_precision=precision,
            **fields,
        )
    )


@pytest.fixture
def supplementary(defence_pledge, source):
    """A month's figure reported first, then fiscal 2025 (which ends later) counted with its supplementary budget."""
    _measure(
        defence_pledge,
        source,
        "1.6",
        datetime.date(2026, 1, 10),
        datetime.date(2024, 4, 1),
        "fiscal_year",
        measured_basis="regular budgets only",
    )
    _measure(defence_pledge, source, "1.8", datetime.date(2026, 2, 1), datetime.date(2025, 10, 1), "month")
    _measure(
        defence_pledge,
        source,
        "2",
        datetime.date(2025, 12, 16),
        datetime.date(2025, 4, 1),
        "fiscal_year",
        measured_is_approximate=True,
        measured_basis="including the supplementary budget",
        basis_changed=True,
        note="The supplementary budget brings security spending to about 2% of GDP.",
    )
    return defence_pledge


def test_the_headline_shows_the_measurement_whose_period_ends_last(client, supplementary, fixed_today):
    html = client.get("/").content.decode()
    headline = html.split('id="headline-defence-2pct-gdp"')[1].split("</section>")[0]
    assert "Measured, for fiscal 2025: about 2% of GDP, including the supplementary budget" in headline
    assert "basis changed" in headline
    assert "October 2025" not in headline


def test_the_chart_orders_bars_by_the_end_of_the_period_and_marks_the_changed_basis(client, supplementary, fixed_today):
    html = client.get(supplementary.get_absolute_url()).content.decode()
    values = html.split('class="measure-values"')[1].split("</ul>")[0]
    assert values.index("fiscal 2024") < values.index("October 2025") < values.index("fiscal 2025")
    assert "1.6% of GDP, regular budgets only" in values
    assert "about 2% of GDP, including the supplementary budget [basis changed" in values
    history = html.split('id="history-heading"')[1]
    assert '<strong class="basis-changed">Basis changed</strong>' in history


def test_the_timeline_says_what_a_measurement_measures(client, supplementary, fixed_today):
    html = client.get("/timeline/").content.decode()
    assert "Basis changed" in html
    assert "Measured: about 2% of GDP for fiscal 2025 (including the supplementary budget; basis changed" in html


def test_a_measurement_in_another_unit_and_with_a_stage_says_so(defence_pledge, source):
    update = _measure(
        defence_pledge,
        source,
        "9900000000000",
        datetime.date(2025, 12, 16),
        datetime.date(2025, 4, 1),
        "fiscal_year",
        measured_unit="jpy",
        measured_is_approximate=True,
        money_stage="committed",
    )
    assert update.measurement_display == "about ¥9.9 trillion for fiscal 2025 (committed)"


# -- the legal basis and the lapse date --------------------------------------------------------------------------


@pytest.fixture
def tariff(make_commitment, source):
    commitment = make_commitment(
        slug="tariff-replacement",
        title="A replacement tariff of 15%",
        kind="trade",
        instrument="an executive order under an emergency-powers law",
        lapses_on=datetime.date(2026, 7, 20),
        status="in_the_works",
    )
    services.record_update(
        StatusUpdate(
            commitment=commitment,
            happened_on=datetime.date(2026, 2, 21),
            source=source,
            note="Replaced after the court ruling.",
            new_instrument="a proclamation under Section 122, limited to 150 days",
        )
    )
    return commitment


def test_the_legal_basis_is_revised_by_an_event_old_to_new(client, tariff, fixed_today):
    tariff.refresh_from_db()
    assert tariff.instrument == "a proclamation under Section 122, limited to 150 days"
    assert tariff.initial_instrument == "an executive order under an emergency-powers law"
    html = client.get(tariff.get_absolute_url()).content.decode()
    assert "a proclamation under Section 122, limited to 150 days" in html.split('class="instrument"')[1]
    assert (
        "<strong>legal basis:</strong> <del>an executive order under an emergency-powers law</del> → "
        "<ins>a proclamation under Section 122, limited to 150 days</ins>"
    ) in html
    # As of a day before the event, the old basis.
    before = client.get(tariff.get_absolute_url() + "?as_of=2026-02-01").content.decode()
    assert "an executive order under an emergency-powers law" in before.split('class="instrument"')[1].split("</dd>")[0]


def test_a_lapsed_measure_never_shows_as_a_missed_deadline(client, tariff, fixed_today):
    html = client.get(tariff.get_absolute_url()).content.decode()
    assert "Lapsed on 20 July 2026" in html
    assert "deadline passed" not in html
    assert "No deadline stated" in html


def test_a_lapse_date_counts_down(tariff):
    assert tariff.lapse_display(datetime.date(2026, 7, 2)) == "lapses in 18 days (20 July 2026)"
    assert tariff.lapse_display(datetime.date(2026, 7, 20)) == "lapses today (20 July 2026)"


# -- parts -----------------------------------------------------------------------------------------------------


def test_the_parts_are_listed_with_their_amounts_and_their_sum_beside_the_parent(
    client, make_commitment, source, fixed_today
):
    parent = make_commitment(
        slug="investment", title="Investment", kind="investment", unit="usd", target_value=Decimal("550000000000")
    )
    _measure(
        parent,
        source,
        "36000000000",
        datetime.date(2026, 2, 17),
        datetime.date(2026, 2, 1),
        "month",
        money_stage="announced",
    )
    for title, amount in (("Power plant", "33000000000"), ("Crude terminal", "2100000000")):
        part = make_commitment(slug=title.lower().replace(" ", "-"), title=title, kind="investment", unit="usd")
        _measure(
            part,
            source,
            amount,
            datetime.date(2026, 2, 17),
            datetime.date(2026, 2, 1),
            "month",
            money_stage="committed",
        )
        CommitmentLink.objects.create(from_commitment=part, to_commitment=parent, relation=RelationKind.PART_OF)
    html = client.get(parent.get_absolute_url()).content.decode()
    parts = html.split('id="parts-heading"')[1].split("</section>")[0]
    assert "Power plant" in parts and "$33 billion" in parts and "Committed" in parts
    assert "$2.1 billion" in parts
    assert "$35.1 billion; this commitment: $36 billion (latest figure)" in parts
    assert "The parts add up to $35.1 billion, not $36 billion (latest figure)" in parts


# -- each side's reading --------------------------------------------------------------------------------------


def test_each_sides_reading_is_shown_side_by_side_and_in_the_json(client, defence_pledge, source, usa, japan):
    quote = defence_pledge.quotes.get()
    Reading.objects.create(commitment=defence_pledge, party=usa, description="Not enough.", quote=quote)
    Reading.objects.create(commitment=defence_pledge, party=japan, description="On its way.", quote=quote)
    html = client.get(defence_pledge.get_absolute_url()).content.decode()
    readings = html.split('id="readings-heading"')[1]
    assert readings.index("What Washington says") < readings.index("Not enough.") < readings.index("What Tokyo says")
    assert "On its way." in readings
    row = next(r for r in client.get("/commitments.json").json()["results"] if r["slug"] == defence_pledge.slug)
    assert [(r["side"], r["reading"]) for r in row["readings"]] == [
        ("What Washington says", "Not enough."),
        ("What Tokyo says", "On its way."),
    ]


def test_a_reading_rests_on_one_of_the_commitments_quotes(defence_pledge, source, usa):
    other = Quote.objects.create(text="That’s a hot truck.", source=source)
    reading = Reading(commitment=defence_pledge, party=usa, description="x", quote=other)
    with pytest.raises(Exception, match="supporting quotes"):
        reading.full_clean()


# -- staleness and the review queue ----------------------------------------------------------------------------


def test_a_commitment_with_nothing_new_for_90_days_needs_review_until_an_editor_checks_it(
    client, defence_pledge, source, fixed_today
):
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 28),
            source=source,
            note="Rated.",
            new_status="in_the_works",
        )
    )
    html = client.get(defence_pledge.get_absolute_url()).content.decode()
    assert "Needs review:" in html
    assert "nothing new has been sourced for more than 90 days" in html
    assert "28 October 2025" in html.split('class="last-sourced"')[1].split("</dd>")[0]
    assert "1 commitment needs review" in client.get("/").content.decode()
    index = client.get("/commitments/?review=needs_review").content.decode()
    assert defence_pledge.title in index

    ReviewCheck.objects.create(commitment=defence_pledge, checked_on=TODAY, note="No news in the budget releases.")
    from tracker import caching

    caching.data_changed()
    html = client.get(defence_pledge.get_absolute_url()).content.decode()
    assert "Needs review:" not in html
    assert "checked on 21 November 2026, nothing new: No news in the budget releases." in html
    assert "0 commitments need review" in client.get("/").content.decode()
    assert defence_pledge.title not in client.get("/commitments/?review=needs_review").content.decode()


def test_a_passed_deadline_while_unsettled_needs_review(defence_pledge, source, fixed_today):
    commitment = Commitment.objects.get(pk=defence_pledge.pk)
    assert commitment.review_reasons(datetime.date(2028, 4, 2), datetime.date(2028, 3, 1), None) == [
        "its deadline has passed and it is not yet rated kept, compromise or broken"
    ]
    assert (
        commitment.review_reasons(datetime.date(2028, 4, 2), datetime.date(2028, 3, 1), datetime.date(2028, 4, 1)) == []
    )


def test_the_admin_index_shows_the_review_queue(editor_client, defence_pledge, fixed_today):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Review queue: 1 commitment needs review" in html
    assert f"/admin/tracker/reviewcheck/add/?commitment={defence_pledge.pk}" in html
    listing = editor_client.get(reverse("admin:tracker_commitment_changelist") + "?review=needs_review")
    assert defence_pledge.title in listing.content.decode()


# -- feeds -----------------------------------------------------------------------------------------------------


def test_a_back_filled_event_is_published_on_its_day_and_updated_when_recorded(client, defence_pledge, source):
    update = services.record_update(
        StatusUpdate(
            commitment=defence_pledge, happened_on=datetime.date(2025, 11, 3), source=source, note="Found late."
        )
    )
    entry = ET.fromstring(client.get(f"/commitments/{defence_pledge.slug}/feed/").content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}published").text.startswith("2025-11-03")
    assert entry.find(f"{ATOM}updated").text.startswith(update.recorded_at.astimezone(datetime.UTC).strftime("%Y-"))
    assert not entry.find(f"{ATOM}updated").text.startswith("2025-11-03")


def test_the_readings_seed_names_both_sides(seeded):
    sides = {Country(reading.party.country) for reading in Reading.objects.select_related("party")}
    assert sides == {Country.UNITED_STATES, Country.JAPAN}
    assert Actor.objects.filter(readings__isnull=False).exists()


def test_the_overview_counts_top_level_commitments_and_the_index_shows_parts_one_filter_away(
    client, make_commitment, fixed_today
):
    package = make_commitment(slug="package", title="A purchase package", kind="purchase")
    item = make_commitment(slug="item", title="An item of the package", kind="purchase")
    CommitmentLink.objects.create(from_commitment=item, to_commitment=package, relation=RelationKind.PART_OF)
    html = client.get("/").content.decode()
    assert "1 commitment tracked (and" in html and ">1 part of them</a>" in html
    assert 'href="/commitments/?level=top&amp;kind=purchase">Purchase</a> <span class="count">1</span>' in html
    top = client.get("/commitments/?level=top").content.decode()
    assert "A purchase package" in top and "An item of the package" not in top
    parts = client.get("/commitments/?level=parts").content.decode()
    assert "An item of the package" in parts and "A purchase package" not in parts


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("36 billion", Decimal("36000000000")),
        ("36bn", Decimal("36000000000")),
        ("$36,000,000,000", Decimal("36000000000")),
        ("¥9.9 trillion", Decimal("9900000000000")),
        ("1.8%", Decimal("1.8")),
        ("2", Decimal("2")),
    ],
)
def test_an_editor_types_money_as_people_write_it(typed, value):
    from tracker.forms import parse_amount

    assert parse_amount(typed) == value


def test_a_word_that_is_not_a_size_is_refused_with_examples():
    from django.core.exceptions import ValidationError

    from tracker.forms import parse_amount

    with pytest.raises(ValidationError, match="36bn"):
        parse_amount("36 bananas")


def test_the_update_form_shows_the_unit_beside_the_value(editor_client, defence_pledge, source):
    update = services.record_update(
        StatusUpdate(commitment=defence_pledge, happened_on=datetime.date(2025, 11, 1), source=source, note="x")
    )
    html = editor_client.get(reverse("admin:tracker_statusupdate_change", args=[update.pk])).content.decode()
    assert "Unit: % of GDP." in html


def _autocomplete(client, model, field, term):
    params = {"term": term, "app_label": "tracker", "model_name": model, "field_name": field}
    return [row["text"] for row in client.get("/admin/autocomplete/", params).json()["results"]]


def test_autocompletes_rank_title_and_name_matches_first_and_show_slug_and_status(editor_client, seeded):
    commitments = _autocomplete(editor_client, "statusupdate", "commitment", "tariffs")
    assert commitments[0].startswith("US lowers tariffs on Japanese goods to 15% (us-tariff-15pct, kept)")
    actors = _autocomplete(editor_client, "commitment", "pledged_by", "Takaichi")
    assert actors[0] == "Sanae Takaichi"


@pytest.mark.parametrize(
    ("typed", "first_day", "precision"),
    [
        ("fiscal 2025", datetime.date(2025, 4, 1), "fiscal_year"),
        ("FY2025", datetime.date(2025, 4, 1), "fiscal_year"),
        ("March 2026", datetime.date(2026, 3, 1), "month"),
        ("Q3 2026", datetime.date(2026, 7, 1), "quarter"),
        ("2026", datetime.date(2026, 1, 1), "year"),
        ("28 October 2025", datetime.date(2025, 10, 28), "day"),
    ],
)
def test_a_period_is_picked_in_words(typed, first_day, precision):
    from tracker.dates import parse_period

    assert parse_period(typed) == (first_day, precision)


def test_the_update_form_takes_periods_in_words_and_stores_a_deadline_as_the_periods_last_day(defence_pledge):
    from tracker.forms import StatusUpdateForm

    form = StatusUpdateForm(
        data={
            "commitment": defence_pledge.pk,
            "happened_on": "December 2025",
            "happened_precision": "day",
            "note": "Measured, and the deadline moved.",
            "measured_value": "2",
            "measured_as_of": "fiscal 2025",
            "new_deadline": "March 2026",
        }
    )
    assert form.is_valid(), form.errors
    update = form.save(commit=False)
    assert (update.happened_on, update.happened_precision) == (datetime.date(2025, 12, 1), "month")
    assert (update.measured_as_of, update.measured_precision) == (datetime.date(2025, 4, 1), "fiscal_year")
    assert (update.new_deadline, update.new_deadline_precision) == (datetime.date(2026, 3, 31), "month")


def test_a_long_commitments_updates_fold_away_on_its_edit_page(editor_client, supplementary):
    html = editor_client.get(reverse("admin:tracker_commitment_change", args=[supplementary.pk])).content.decode()
    # The latest update (the others are linked) and the blank form for "add another", each with its "What changed" and
    # "Progress measurement" folded into a closed <details>.
    assert html.count("<details") == 4
    assert "<details open" not in html


def test_an_updates_quote_autocomplete_offers_only_its_sources_quotes(editor_client, seeded):
    params = {"term": "important", "app_label": "tracker", "model_name": "statusupdate", "field_name": "quote"}
    everywhere = editor_client.get("/admin/autocomplete/", params).json()["results"]
    assert any("What’s important" in row["text"] for row in everywhere)
    elsewhere = editor_client.get("/admin/autocomplete/", {**params, "source": "1"}).json()["results"]
    assert not any("What’s important" in row["text"] for row in elsewhere)
    its_own = editor_client.get("/admin/autocomplete/", {**params, "source": "2"}).json()["results"]
    assert any("What’s important" in row["text"] for row in its_own)


def test_the_review_filter_works_as_of_a_past_day(client, seeded, fixed_today):
    # On 30 October 2025 everything had been sourced days before: nothing needed review yet.
    then = client.get("/commitments/", {"review": "needs_review", "as_of": "2025-10-30"})
    assert then.status_code == 200
    assert "/commitments/defence-2pct-gdp/" not in then.content.decode()
    now = client.get("/commitments/", {"review": "needs_review"}).content.decode()
    assert "/commitments/defence-2pct-gdp/" in now


def test_a_measurement_in_another_unit_is_listed_but_not_drawn_against_the_target(defence_pledge, source):
    from tracker import charts

    update = _measure(
        defence_pledge,
        source,
        "9900000000000",
        datetime.date(2025, 12, 16),
        datetime.date(2025, 4, 1),
        "fiscal_year",
        measured_unit="jpy",
    )
    series = charts.measure_series(defence_pledge, [update])
    assert series.bars[-1].words == (
        "Measured, for fiscal 2025: ¥9.9 trillion (another unit than the target's: no bar drawn)"
    )
    assert series.maximum == Decimal("2")  # the scale is the target's, not the yen


def test_a_new_commitments_deadline_is_picked_as_a_period(editor_client, japan):
    from tracker.tests.admin_forms import admin_form_data

    url = reverse("admin:tracker_commitment_add")
    data = admin_form_data(editor_client, url, "commitment_form")
    data.update(
        title="A synthetic pledge",
        slug="a-synthetic-pledge",
        summary="For the test.",
        kind="defence_spending",
        pledged_by=str(japan.pk),
        deadline="fiscal 2027",
        announced_on="October 2025",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    commitment = Commitment.objects.get(slug="a-synthetic-pledge")
    assert (commitment.deadline, commitment.deadline_precision) == (datetime.date(2028, 3, 31), "fiscal_year")
    assert (commitment.announced_on, commitment.announced_precision) == (datetime.date(2025, 10, 1), "month")
