"""Upgrading a database that holds data: migration 0006 derives the initial states, old values and state periods
from the history already recorded, and everything later migrations add keeps `check_history` clean."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tracker.models import Commitment, CommitmentState

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("tracker", "0005_drop_redundant_kind_status_index")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_a_populated_database_upgrades_to_a_clean_history():
    old = _migrate(BEFORE)
    actor = old.get_model("tracker", "Actor")
    japan = actor.objects.create(name="Japan", slug="japan", kind="government", country="JP")
    source = old.get_model("tracker", "Source").objects.create(
        description="An article", kind="news_report", text="Text.", text_sha256="0" * 64
    )
    pledge = old.get_model("tracker", "Commitment").objects.create(
        slug="defence",
        title="Defence spending of 2% of GDP",
        summary="…",
        kind="defence_spending",
        pledged_by=japan,
        status="in_the_works",
        formality="policy_document",
        deadline=datetime.date(2026, 3, 31),
        deadline_precision="month",
        announced_on=datetime.date(2022, 1, 1),
        announced_precision="year",
    )
    updates = old.get_model("tracker", "StatusUpdate").objects
    updates.create(
        commitment=pledge,
        happened_on=datetime.date(2025, 10, 1),
        happened_precision="month",
        source=source,
        note="Started.",
        old_status="not_rated",
        new_status="in_the_works",
    )
    updates.create(
        commitment=pledge,
        happened_on=datetime.date(2025, 10, 24),
        source=source,
        note="Moved.",
        old_deadline=datetime.date(2028, 3, 31),
        old_deadline_precision="fiscal_year",
        new_deadline=datetime.date(2026, 3, 31),
        new_deadline_precision="month",
    )
    try:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        call_command("check_history")
        upgraded = Commitment.objects.get(slug="defence")
        assert (upgraded.initial_status, upgraded.initial_deadline) == ("not_rated", datetime.date(2028, 3, 31))
        then = Commitment.objects.as_of(datetime.date(2025, 10, 30)).values_list("status_then", "deadline_then")
        assert then.get(pk=upgraded.pk) == ("not_rated", datetime.date(2026, 3, 31))  # October: known on the 31st
        assert CommitmentState.objects.filter(commitment=upgraded).count() == 3
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
