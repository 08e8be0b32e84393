"""The seed fixtures: everything in them loads, validates, and is found in the articles."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest

from tracker import history
from tracker.models import Actor, Commitment, CommitmentLink, Quote, Source, StatusUpdate

SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", Path(__file__).resolve().parents[3] / "shared" / "seeds"))


def test_it_loads_into_an_empty_database(seeded):
    assert Source.objects.count() == 5
    assert Commitment.objects.count() >= 15
    assert Quote.objects.count() >= 40
    assert StatusUpdate.objects.count() >= Commitment.objects.count()


def test_every_quote_is_found_verbatim_in_its_source(seeded):
    missing = [(quote.pk, quote.text) for quote in Quote.objects.select_related("source") if not quote.is_verified]
    assert missing == []


@pytest.mark.parametrize("model", [Actor, Source, Commitment, CommitmentLink, Quote, StatusUpdate])
def test_every_row_passes_the_same_validation_as_the_admin(seeded, model):
    errors = {}
    for row in model.objects.all():
        try:
            row.full_clean()
        except Exception as error:  # noqa: BLE001 — collect them all for one readable failure
            errors[row.pk] = error
    assert errors == {}


def test_every_source_is_stored_verbatim_with_its_hash(seeded):
    for source in Source.objects.all():
        assert source.text_sha256 == Source.hash_text(source.text)
    if not SEEDS_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"The seed articles are not at {SEEDS_DIR}")
        pytest.skip(f"The seed articles are not at {SEEDS_DIR}")
    stored = {source.seed_file: source.text for source in Source.objects.all()}
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in SEEDS_DIR.glob("*.txt")}
    assert stored == on_disk


def test_every_commitment_has_quotes_and_a_history_that_explains_its_state(seeded):
    problems = []
    for commitment in Commitment.objects.prefetch_related("quotes", "updates"):
        if not commitment.quotes.all():
            problems.append(f"{commitment.slug}: no quote")
        if not commitment.updates.all():
            problems.append(f"{commitment.slug}: no update")
    assert problems == []
    assert history.problems() == []


def test_the_defence_pledge_moved_from_fiscal_2027_to_march_2026(seeded):
    pledge = Commitment.objects.get(slug="defence-2pct-gdp")
    assert (pledge.target_value, pledge.unit) == (Decimal("2"), "pct_gdp")
    assert pledge.baseline_value == Decimal("1.8") and pledge.baseline_is_approximate
    assert (pledge.deadline, pledge.deadline_precision) == (datetime.date(2026, 3, 31), "month")
    revision = pledge.updates.get(new_deadline=datetime.date(2026, 3, 31))
    assert (revision.old_deadline, revision.old_deadline_precision) == (datetime.date(2028, 3, 31), "fiscal_year")
    assert revision.happened_on == datetime.date(2025, 10, 24)


def test_it_keeps_both_claims_where_the_articles_disagree(seeded):
    texts = list(Commitment.objects.get(slug="defence-2pct-gdp").quotes.values_list("text", "source__seed_file"))
    assert any("a year earlier than planned" in text and seed.startswith("001") for text, seed in texts)
    assert any("two years ahead" in text and seed.startswith("003") for text, seed in texts)


def test_the_headline_figures_match_the_articles(seeded):
    assert Commitment.objects.get(slug="us-demand-defence-3-5pct").target_value == Decimal("3.5")
    assert Commitment.objects.get(slug="investment-550bn").target_value == Decimal("550000000000")
    tariff = Commitment.objects.get(slug="us-tariff-15pct")
    assert (tariff.target_value, tariff.baseline_value) == (Decimal("15"), Decimal("25"))
    assert Commitment.objects.get(slug="us-auto-tariff-15pct").baseline_value == Decimal("27.5")


def test_it_links_the_demand_to_the_pledge_and_the_two_halves_of_the_deal(seeded):
    assert CommitmentLink.objects.filter(
        from_commitment__slug="us-demand-defence-3-5pct", to_commitment__slug="defence-2pct-gdp", relation="answers"
    ).exists()
    halves = {"investment-550bn", "us-tariff-15pct"}
    assert CommitmentLink.objects.filter(
        from_commitment__slug__in=halves, to_commitment__slug__in=halves, relation="counterpart"
    ).exists()


def test_the_rare_earths_framework_was_signed_at_the_summit(seeded):
    framework = Commitment.objects.get(slug="rare-earths-critical-minerals")
    assert framework.formality == "agreement"
    assert framework.updates.filter(happened_on=datetime.date(2025, 10, 28), new_formality="agreement").exists()


def test_no_publisher_or_author_is_invented(seeded):
    for source in Source.objects.all():
        for claim in (source.publisher, source.author):
            assert not claim or claim in source.text
