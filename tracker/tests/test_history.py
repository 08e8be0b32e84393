"""History as the source of truth: events replayed into stored states, in any order of entry."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tracker import history, services
from tracker.models import STILL_CURRENT, Commitment, CommitmentState, StatusUpdate, show_state_then

SNAPSHOT = Path(__file__).parent / "data" / "seed_states.json"
D = datetime.date


def _row(commitment) -> list:
    target = None if commitment.target_value is None else str(commitment.target_value.normalize())
    deadline = commitment.deadline.isoformat() if commitment.deadline else None
    return [commitment.status, commitment.formality, target, deadline, commitment.deadline_precision]


def test_replaying_the_seed_gives_exactly_the_states_of_the_old_engine(seeded):
    """The snapshot was taken with the old engine (SQL over stored old/new values) before the replay replaced it:
    current states, the state on every day something became known, and every update's old values. It was taken again
    from the replay after the seed's corrections (issue 14), which changed states the old engine never saw."""
    snapshot = json.loads(SNAPSHOT.read_text())
    call_command("rebuild_history", stdout=io.StringIO())  # from the events alone, not the fixture's rows
    current = {c.slug: [*_row(c), c.title] for c in Commitment.objects.all()}
    assert current == snapshot["current"]
    for day, states in snapshot["as_of"].items():
        then = show_state_then(Commitment.objects.as_of(D.fromisoformat(day)))
        assert {c.slug: _row(c) for c in then} == states, day
    for update in StatusUpdate.objects.select_related("commitment"):
        target = None if update.old_target_value is None else str(update.old_target_value.normalize())
        deadline = update.old_deadline.isoformat() if update.old_deadline else None
        old = [update.commitment.slug, update.old_status, update.old_formality, target, deadline]
        assert [*old, update.old_deadline_precision] == snapshot["updates"][str(update.pk)]


def test_check_history_passes_on_the_fixtures_and_fails_on_a_corrupted_state(seeded, capsys):
    call_command("check_history")
    assert "Every stored state follows from its events." in capsys.readouterr().out
    Commitment.objects.filter(slug="defence-2pct-gdp").update(status="broken")  # behind the service's back
    with pytest.raises(CommandError, match="differ from the replay"):
        call_command("check_history")
    assert "defence-2pct-gdp: status is 'broken', but its events give 'in_the_works'" in capsys.readouterr().out
    call_command("rebuild_history", stdout=io.StringIO())
    call_command("check_history")


def test_check_history_notices_a_corrupted_old_value_and_period(seeded, capsys):
    update = StatusUpdate.objects.filter(commitment__slug="defence-2pct-gdp").exclude(old_deadline=None).first()
    StatusUpdate.objects.filter(pk=update.pk).update(old_deadline=D(2030, 3, 31))
    CommitmentState.objects.filter(commitment__slug="us-tariff-15pct").update(status="broken")
    with pytest.raises(CommandError):
        call_command("check_history")
    out = capsys.readouterr().out
    assert f"update {update.pk}" in out and "old_deadline" in out
    assert "us-tariff-15pct: its stored state periods differ" in out


# -- back-filling, on a commitment with a history -------------------------------------------------------------


def _event(commitment, source, day, **values):
    return services.record_update(
        StatusUpdate(commitment=commitment, happened_on=day, source=source, note="What happened.", **values)
    )


def _deadline(day):
    return {"new_deadline": day, "new_deadline_precision": "month"}


def _state_on(commitment, day):
    row = Commitment.objects.as_of(day).filter(pk=commitment.pk).values("status_then", "deadline_then").first()
    return row and (row["status_then"], row["deadline_then"])


@pytest.fixture
def moved_twice(defence_pledge, source):
    """Fiscal 2027 → March 2026 (24 Oct 2025) → June 2026 (1 Dec 2025), in the works from 24 Oct."""
    first = _event(defence_pledge, source, D(2025, 10, 24), new_status="in_the_works", **_deadline(D(2026, 3, 31)))
    second = _event(defence_pledge, source, D(2025, 12, 1), **_deadline(D(2026, 6, 30)))
    return first, second


def _old_new(update):
    update.refresh_from_db()
    return (update.old_deadline, update.new_deadline)


def test_an_event_inserted_before_the_others_rederives_them(defence_pledge, source, moved_twice):
    first, second = moved_twice
    earliest = _event(defence_pledge, source, D(2025, 6, 1), **_deadline(D(2027, 3, 31)))
    defence_pledge.refresh_from_db()
    assert defence_pledge.deadline == D(2026, 6, 30)  # the latest event still decides
    assert _old_new(earliest) == (D(2028, 3, 31), D(2027, 3, 31))
    assert _old_new(first) == (D(2027, 3, 31), D(2026, 3, 31))  # was fiscal 2027 → March 2026
    assert _old_new(second) == (D(2026, 3, 31), D(2026, 6, 30))
    assert _state_on(defence_pledge, D(2025, 5, 31)) == ("not_rated", D(2028, 3, 31))
    assert _state_on(defence_pledge, D(2025, 6, 1)) == ("not_rated", D(2027, 3, 31))
    assert _state_on(defence_pledge, D(2025, 11, 1)) == ("in_the_works", D(2026, 3, 31))
    assert earliest.rederived.summary(leave_out=earliest.pk)[0].startswith("The update of 24 October 2025 re-derived")
    assert history.problems() == []


def test_an_event_inserted_between_two_others(defence_pledge, source, moved_twice):
    first, second = moved_twice
    between = _event(defence_pledge, source, D(2025, 11, 10), new_status="stalled", **_deadline(D(2026, 9, 30)))
    defence_pledge.refresh_from_db()
    assert (defence_pledge.deadline, defence_pledge.status) == (D(2026, 6, 30), "stalled")
    assert _old_new(between) == (D(2026, 3, 31), D(2026, 9, 30))
    assert _old_new(second) == (D(2026, 9, 30), D(2026, 6, 30))
    assert _old_new(first) == (D(2028, 3, 31), D(2026, 3, 31))  # untouched
    assert _state_on(defence_pledge, D(2025, 11, 9)) == ("in_the_works", D(2026, 3, 31))
    assert _state_on(defence_pledge, D(2025, 11, 10)) == ("stalled", D(2026, 9, 30))
    assert _state_on(defence_pledge, D(2025, 12, 1)) == ("stalled", D(2026, 6, 30))
    assert history.problems() == []


def test_an_event_after_the_others_is_the_new_current_state(defence_pledge, source, moved_twice):
    _first, second = moved_twice
    latest = _event(defence_pledge, source, D(2026, 1, 15), new_status="kept")
    assert latest.rederived.summary(leave_out=latest.pk) == [
        "Current state of “Defence spending of 2% of GDP” now: status In the works → Kept."
    ]
    defence_pledge.refresh_from_db()
    assert (defence_pledge.status, defence_pledge.deadline) == ("kept", D(2026, 6, 30))
    assert _state_on(defence_pledge, D(2026, 1, 14)) == ("in_the_works", D(2026, 6, 30))
    assert _old_new(second) == (D(2026, 3, 31), D(2026, 6, 30))


def test_deleting_the_first_event_rederives_the_rest(defence_pledge, source, moved_twice):
    first, second = moved_twice
    rederived = services.delete_update(first)
    defence_pledge.refresh_from_db()
    assert (defence_pledge.status, defence_pledge.deadline) == ("not_rated", D(2026, 6, 30))
    assert _old_new(second) == (D(2028, 3, 31), D(2026, 6, 30))
    assert _state_on(defence_pledge, D(2025, 11, 1)) == ("not_rated", D(2028, 3, 31))
    assert "The update of 1 December 2025 re-derived: deadline now from fiscal 2027 (was from March 2026)." in (
        rederived.summary()
    )
    assert history.problems() == []


def test_moving_an_event_past_another_swaps_their_order(defence_pledge, source, moved_twice):
    first, second = moved_twice
    first.happened_on = D(2025, 12, 15)
    services.record_update(first)
    defence_pledge.refresh_from_db()
    assert defence_pledge.deadline == D(2026, 3, 31)  # the moved event is now the latest
    assert _old_new(second) == (D(2028, 3, 31), D(2026, 6, 30))
    assert _old_new(first) == (D(2026, 6, 30), D(2026, 3, 31))
    assert _state_on(defence_pledge, D(2025, 12, 1)) == ("not_rated", D(2026, 6, 30))
    assert _state_on(defence_pledge, D(2025, 12, 15)) == ("in_the_works", D(2026, 3, 31))
    assert history.problems() == []


def test_editing_a_value_in_the_middle_of_a_history(defence_pledge, source, moved_twice):
    first, second = moved_twice
    first.new_deadline = D(2026, 2, 28)
    services.record_update(first)
    defence_pledge.refresh_from_db()
    assert defence_pledge.deadline == D(2026, 6, 30)
    assert _old_new(second) == (D(2026, 2, 28), D(2026, 6, 30))
    assert _state_on(defence_pledge, D(2025, 11, 1)) == ("in_the_works", D(2026, 2, 28))
    assert history.problems() == []


def test_a_vague_date_is_known_only_once_its_period_has_passed(defence_pledge, source):
    update = _event(defence_pledge, source, D(2025, 10, 1), new_status="in_the_works")
    StatusUpdate.objects.filter(pk=update.pk).update(happened_precision="month")
    history.rebuild(defence_pledge)
    assert _state_on(defence_pledge, D(2025, 10, 30)) == ("not_rated", D(2028, 3, 31))
    assert _state_on(defence_pledge, D(2025, 10, 31)) == ("in_the_works", D(2028, 3, 31))


def test_an_event_moved_to_another_commitment_rebuilds_both(defence_pledge, make_commitment, source, moved_twice):
    first, _second = moved_twice
    other = make_commitment(target_value=None)
    first.commitment = other
    services.record_update(first)
    defence_pledge.refresh_from_db()
    other.refresh_from_db()
    assert (defence_pledge.status, other.status) == ("not_rated", "in_the_works")
    assert history.problems() == []


def test_a_renaming_versions_the_title(defence_pledge, source):
    _event(defence_pledge, source, D(2025, 11, 1), new_title="Defence and related spending of 2% of GDP")
    defence_pledge.refresh_from_db()
    assert defence_pledge.title == "Defence and related spending of 2% of GDP"
    before = Commitment.objects.as_of(D(2025, 10, 31)).values_list("title_then", flat=True).get(pk=defence_pledge.pk)
    assert before == "Defence spending of 2% of GDP"


def test_periods_cover_the_time_since_the_announcement_without_gaps(defence_pledge, source, moved_twice):
    periods = list(CommitmentState.objects.filter(commitment=defence_pledge).order_by("known_from"))
    assert periods[0].known_from == D(2022, 12, 31)  # announced in 2022: known once the year is over
    assert periods[-1].known_until == STILL_CURRENT
    assert all(a.known_until == b.known_from for a, b in zip(periods, periods[1:], strict=False))
    assert periods[-1].last_update_on == D(2025, 12, 1)


def test_a_new_commitment_has_one_period_in_its_initial_state(make_commitment):
    commitment = make_commitment(target_value=Decimal("3"), unit="pct_gdp", status="in_the_works")
    (period,) = CommitmentState.objects.filter(commitment=commitment)
    assert (period.status, period.target_value, period.known_until) == ("in_the_works", Decimal("3"), STILL_CURRENT)
    assert (commitment.initial_status, commitment.initial_title) == ("in_the_works", commitment.title)


def test_a_recorded_change_leaves_one_audit_row_and_a_note_alone_leaves_none(defence_pledge, source):
    before = defence_pledge.history.count()
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Started.",
            new_status="in_the_works",
        )
    )
    assert defence_pledge.history.count() == before + 1
    services.record_update(
        StatusUpdate(commitment=defence_pledge, happened_on=datetime.date(2025, 10, 25), source=source, note="A note.")
    )
    assert defence_pledge.history.count() == before + 1
