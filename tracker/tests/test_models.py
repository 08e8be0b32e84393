import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker.models import Commitment, Quote, Source, StatusUpdate, normalise_text


def _integrity_error(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_it_refuses_a_negative_target_in_the_database_and_in_the_form(make_commitment):
    commitment = make_commitment(unit="usd", target_value=Decimal("550000000000"))
    commitment.target_value = Decimal("-1")
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "Amounts cannot be negative." in error.value.message_dict["target_value"]
    _integrity_error(commitment.save)


def test_it_keeps_percentages_between_0_and_100(make_commitment):
    commitment = make_commitment(unit="pct_gdp", target_value=Decimal("2"))
    commitment.target_value = Decimal("350")
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "between 0 and 100" in error.value.message_dict["target_value"][0]
    _integrity_error(commitment.save)


def test_it_needs_a_precision_for_every_deadline(make_commitment):
    commitment = make_commitment()
    commitment.deadline = datetime.date(2026, 3, 31)
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "deadline_precision" in error.value.message_dict
    _integrity_error(commitment.save)


def test_it_stores_a_month_deadline_as_the_last_day_of_the_month(make_commitment):
    commitment = make_commitment(deadline=datetime.date(2026, 3, 1), deadline_precision="month")
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "2026-03-31" in error.value.message_dict["deadline"][0]


def test_it_refuses_a_value_without_a_unit(make_commitment):
    commitment = make_commitment(unit="none")
    commitment.target_value = Decimal("15")
    with pytest.raises(ValidationError):
        commitment.full_clean()
    _integrity_error(commitment.save)


def test_it_writes_target_and_baseline_for_people(defence_pledge, make_commitment):
    assert defence_pledge.target_display == "2% of GDP, from about 1.8%"
    investment = make_commitment(unit="usd", target_value=Decimal("550000000000"))
    assert investment.target_display == "$550 billion"
    trees = make_commitment(unit="units", unit_label="cherry trees", target_value=Decimal("250"), target_qualifier="")
    assert trees.target_display == "250 cherry trees"


def test_it_counts_days_to_the_end_of_the_deadline_period(defence_pledge):
    assert defence_pledge.deadline_display == "by fiscal 2027 (ends 31 March 2028)"
    assert defence_pledge.days_to_deadline(datetime.date(2028, 3, 30)) == 1
    assert defence_pledge.days_to_deadline(datetime.date(2028, 4, 2)) == -2


def test_it_hashes_the_stored_text_on_save(source):
    assert source.text_sha256 == Source.hash_text(source.text)
    source.text += " More."
    source.save()
    source.refresh_from_db()
    assert source.text_sha256 == Source.hash_text(source.text)


def test_it_verifies_quotes_despite_curly_quotes_and_spacing(source):
    quote = Quote(text="Trump said:\n  'That's a hot truck.'", source=source)
    assert quote.is_verified
    quote.full_clean(exclude=["commitments"])


def test_it_rejects_a_quote_that_is_not_in_the_source(source):
    quote = Quote(text="spend 3% of GDP on defence", source=source)
    assert not quote.is_verified
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "not found in the source" in error.value.message_dict["text"][0]


def test_normalisation_changes_only_quotes_and_whitespace():
    assert normalise_text("“a”\n  ‘b’") == "\"a\" 'b'"
    assert normalise_text("a—b") == "a—b"


def test_it_refuses_a_status_change_without_a_source(defence_pledge):
    update = StatusUpdate(
        commitment=defence_pledge, happened_on=datetime.date(2025, 10, 24), note="Kept.", new_status="kept"
    )
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "A status change needs a source." in error.value.message_dict["source"]
    _integrity_error(update.save)


def test_it_refuses_an_update_dated_before_the_announcement(defence_pledge, source):
    update = StatusUpdate(
        commitment=defence_pledge, happened_on=datetime.date(2021, 5, 1), note="Too early.", source=source
    )
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "before the commitment was announced" in error.value.message_dict["happened_on"][0]


def test_it_refuses_a_commitment_made_to_its_own_author(make_commitment, japan):
    commitment = make_commitment()
    commitment.pledged_to = japan
    with pytest.raises(ValidationError):
        commitment.full_clean()
    _integrity_error(commitment.save)


def test_it_records_history_of_every_change(defence_pledge):
    defence_pledge.title = "Defence spending: 2% of GDP"
    defence_pledge.save()
    titles = [row.title for row in Commitment.history.filter(id=defence_pledge.id).order_by("history_date")]
    assert titles == ["Defence spending of 2% of GDP", "Defence spending: 2% of GDP"]
