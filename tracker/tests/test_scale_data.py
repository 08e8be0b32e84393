"""The synthetic dataset at scale (manage.py generate_scale_data), at a small scale: the same invariants as an
editor's data, and the same data for the same seed."""

import pytest
from django.core.management import CommandError, call_command

from tracker import caching, history
from tracker.dates import DatePrecision
from tracker.models import (
    STILL_CURRENT,
    Actor,
    Commitment,
    CommitmentLink,
    CommitmentState,
    Quote,
    Source,
    StatusUpdate,
)

SMALL = {"commitments": 50, "updates": 500, "quotes": 250, "sources": 25, "actors": 30}


def generate(**options):
    call_command("generate_scale_data", verbosity=0, **{**SMALL, "seed": 7, **options})


@pytest.fixture
def generated(db):
    generate()


def snapshot() -> dict:
    """Everything generated, by natural keys (ids depend on what the database handed out before)."""
    return {
        "actors": list(
            Actor.objects.order_by("slug").values_list("slug", "name", "kind", "country", "role", "represents__slug")
        ),
        "sources": list(
            Source.objects.order_by("url").values_list(
                "url",
                "title",
                "description",
                "kind",
                "publisher",
                "author",
                "published_on",
                "published_precision",
                "text_sha256",
            )
        ),
        "commitments": list(
            Commitment.objects.order_by("slug").values_list(
                "slug",
                "title",
                "summary",
                "kind",
                "nature",
                "pledged_by__slug",
                "pledged_to__slug",
                "status",
                "formality",
                "unit",
                "unit_label",
                "baseline_value",
                "target_value",
                "target_qualifier",
                "deadline",
                "deadline_precision",
                "announced_on",
                "announced_precision",
                "note",
                "revision",
            )
        ),
        "quotes": [
            (
                quote.text,
                quote.source.url,
                quote.speaker.slug if quote.speaker else None,
                quote.said_on,
                sorted(commitment.slug for commitment in quote.commitments.all()),
            )
            for quote in Quote.objects.select_related("source", "speaker")
            .prefetch_related("commitments")
            .order_by("id")
        ],
        "updates": list(
            StatusUpdate.objects.order_by("id").values_list(
                "commitment__slug",
                "happened_on",
                "happened_precision",
                "source__url",
                "quote__text",
                "note",
                "old_status",
                "new_status",
                "old_formality",
                "new_formality",
                "old_target_value",
                "new_target_value",
                "old_deadline",
                "new_deadline",
                "new_deadline_precision",
                "measured_value",
                "measured_as_of",
            )
        ),
        "links": sorted(CommitmentLink.objects.values_list("from_commitment__slug", "to_commitment__slug", "relation")),
    }


def test_it_makes_the_counts_asked_for(generated):
    assert Commitment.objects.count() == 50
    assert StatusUpdate.objects.count() == 500
    assert Quote.objects.count() == 250
    assert Source.objects.count() == 25
    assert Actor.objects.count() == 30
    assert CommitmentLink.objects.exists()


def test_every_quote_is_found_in_its_source(generated):
    quotes = list(Quote.objects.select_related("source"))
    assert quotes and all(quote.is_verified for quote in quotes)
    assert all(quote.commitments.exists() for quote in quotes)


def test_every_history_explains_the_current_state(generated):
    assert history.problems() == []
    assert CommitmentState.objects.filter(known_until=STILL_CURRENT).count() == Commitment.objects.count()


def test_the_histories_change_things(generated):
    updates = StatusUpdate.objects.all()
    for change in ("new_status", "new_formality"):
        assert updates.exclude(**{change: ""}).exists(), change
    assert updates.filter(new_target_value__isnull=False).exists()
    assert updates.filter(new_deadline__isnull=False).exists()
    assert updates.filter(measured_value__isnull=False).exists()
    assert updates.filter(quote__isnull=False).exists()
    # A commitment moved by its history shows it: most have left "not yet rated".
    assert Commitment.objects.exclude(status="not_rated").count() > 25


def test_dates_follow_the_precision_convention(generated):
    for commitment in Commitment.objects.exclude(deadline=None):
        assert DatePrecision(commitment.deadline_precision).is_period_end(commitment.deadline)
    for commitment in Commitment.objects.exclude(announced_on=None):
        assert DatePrecision(commitment.announced_precision).is_period_start(commitment.announced_on)
    for update in StatusUpdate.objects.select_related("commitment"):
        assert DatePrecision(update.happened_precision).is_period_start(update.happened_on)
        if update.new_deadline:
            assert DatePrecision(update.new_deadline_precision).is_period_end(update.new_deadline)
        if update.commitment.announced_on:
            assert update.happened_on >= update.commitment.announced_on
    for quote in Quote.objects.exclude(said_on=None):
        assert DatePrecision(quote.said_precision).is_period_start(quote.said_on)
    for source in Source.objects.exclude(published_on=None):
        assert DatePrecision(source.published_precision).is_period_start(source.published_on)


def test_a_sample_of_every_table_passes_full_clean(generated):
    for model in (Actor, Source, Commitment, Quote, StatusUpdate, CommitmentLink):
        rows = list(model.objects.order_by("id"))
        for row in rows[:: max(1, len(rows) // 25)]:
            row.full_clean()


def test_the_data_is_mixed_and_actors_are_reused(generated):
    commitments = Commitment.objects.all()
    assert len({c.kind for c in commitments}) >= 5
    assert len({c.status for c in commitments}) >= 3
    assert len({c.unit for c in commitments}) >= 3
    assert len({c.deadline_precision for c in commitments if c.deadline}) >= 3
    assert any(c.deadline is None for c in commitments) or len(commitments) < 20
    assert len({c.pledged_by_id for c in commitments}) < len(commitments)
    assert len({c.slug for c in commitments}) == 50
    lengths = [len(source.text) for source in Source.objects.all()]
    assert min(lengths) >= 2500 and max(lengths) <= 9000


def test_synthetic_rows_have_no_audit_history(generated):
    assert not Commitment.history.exists()
    assert not StatusUpdate.history.exists()
    assert not Quote.history.exists()


def test_the_same_seed_gives_the_same_data(generated):
    first = snapshot()
    generate(flush=True)
    assert snapshot() == first
    generate(flush=True, seed=8)
    assert snapshot() != first


def test_it_refuses_a_database_with_data_unless_told(generated):
    with pytest.raises(CommandError, match="--flush"):
        generate()
    generate(append=True)
    assert Commitment.objects.count() == 100
    assert Actor.objects.count() == 30  # the same actors, reused
    generate(flush=True)
    assert Commitment.objects.count() == 50


def test_it_marks_the_cached_pages_stale_and_leaves_the_ids_to_the_database(db):
    before = caching.data_version()
    generate()
    assert caching.data_version() != before
    quote = Quote.objects.create(text="spare", source=Source.objects.first())
    assert quote.pk > max(Quote.objects.exclude(pk=quote.pk).values_list("pk", flat=True))


def test_the_pages_render_it(client, generated):
    commitment = Commitment.objects.with_last_update().order_by("-last_update_on").first()
    source = Source.objects.first()
    for url in (
        "/",
        "/commitments/",
        "/commitments/?q=lng",
        commitment.get_absolute_url(),
        "/timeline/",
        source.get_absolute_url(),
        "/commitments.csv",
        "/timeline/feed/",
    ):
        assert client.get(url).status_code == 200, url
