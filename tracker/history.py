"""Events are the only truth: a commitment's states are replayed from its status updates.

A status update records what its source says happened: the new values (REVISABLE), dated at the precision the source
gives. Replaying a commitment's updates in date order from its initial state gives three things, all stored and
all derived, never typed in:

- its current state (the commitment's own columns: a cache for the live pages);
- the old side of every update's old → new (`old_<column>`);
- its state periods (CommitmentState): what was known from which day, for "as of" and /changes/.

"Known from" is cautious about vague dates: an update dated only to October 2025 is known from 31 October 2025,
when its whole period has passed. A commitment is on record from its announcement (known by the same rule); with no
announcement date, from its first update; with neither, always.

`rebuild` rewrites all three for one commitment inside the caller's transaction, its row locked;
`rebuild_all` does the same for every commitment in bulk; `problems` compares what is stored with a fresh replay.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from tracker.dates import DatePrecision
from tracker.models import (
    BEGINNING,
    REVISABLE,
    STATE_COLUMNS,
    STILL_CURRENT,
    Commitment,
    CommitmentState,
    StatusUpdate,
)

# A commitment's state: the values of STATE_COLUMNS, in that order.
State = tuple[Any, ...]

OLD_FIELDS = tuple(name for revisable in REVISABLE for name in revisable.old_fields)
# What the replay reads of an update: its date and the new values.
REPLAY_FIELDS = (
    "id",
    "commitment_id",
    "happened_on",
    "happened_precision",
    *(name for revisable in REVISABLE for name in revisable.new_fields),
    *OLD_FIELDS,
)
# What it reads of a commitment.
COMMITMENT_FIELDS = (
    "id",
    "announced_on",
    "announced_precision",
    *STATE_COLUMNS,
    *(name for revisable in REVISABLE for name in revisable.initial_fields),
)


def known_from(day: datetime.date, precision: str) -> datetime.date:
    """The first day on which something dated `day` at `precision` has surely happened: the end of its period."""
    return DatePrecision(precision).period(day)[1]


def initial_state(commitment: Commitment) -> State:
    return tuple(getattr(commitment, f"initial_{column}") for column in STATE_COLUMNS)


def current_state(commitment: Commitment) -> State:
    return tuple(getattr(commitment, column) for column in STATE_COLUMNS)


# Status and formality may be unstated in an initial state (the first update then sets them from "—"); shown and
# stored, an unstated one is the field's default.
DEFAULTS = {
    index: Commitment._meta.get_field(column).get_default()  # type: ignore[union-attr]  # a column, not a relation
    for index, column in enumerate(STATE_COLUMNS)
    if column in ("status", "formality")
}


def shown(state: State) -> State:
    """The state as the commitment and its periods store it: an unstated status or formality is the default."""
    return tuple(DEFAULTS[index] if index in DEFAULTS and not value else value for index, value in enumerate(state))


# For each part of the state: the update field saying whether it is revised, and (position in State, new field).
_REVISIONS = tuple(
    (
        revisable.new_fields[0],
        tuple(
            (STATE_COLUMNS.index(column), new)
            for column, new in zip(revisable.columns, revisable.new_fields, strict=True)
        ),
    )
    for revisable in REVISABLE
)


def apply(state: State, update: StatusUpdate) -> State:
    """The state after `update`: each part it revises takes its new values."""
    values = None
    for first, positions in _REVISIONS:
        if getattr(update, first) not in ("", None):
            values = values or list(state)
            for position, new in positions:
                values[position] = getattr(update, new)
    return state if values is None else tuple(values)


def old_values(before: State, update: StatusUpdate) -> dict[str, Any]:
    """The `old_<column>` values of `update`, given the state before it: set for what it revises, empty otherwise."""
    values = dict(zip(STATE_COLUMNS, before, strict=True))
    old = {}
    for revisable in REVISABLE:
        revised = revisable.revised_by(update)
        for column, name in zip(revisable.columns, revisable.old_fields, strict=True):
            empty = None if StatusUpdate._meta.get_field(name).null else ""
            value = values[column] if revised else empty
            old[name] = empty if value is None and empty == "" else value
    return old


def chronological(updates: Iterable[StatusUpdate]) -> list[StatusUpdate]:
    return sorted(updates, key=lambda update: (update.happened_on, update.pk))


def initialise(commitment: Commitment, updates: Iterable[StatusUpdate]) -> None:
    """Give a commitment written without one (bulk loads, data from before the replay) its initial state: for each
    part, the old value the first update revising it recorded, or, never revised, its current value."""
    ordered = chronological(updates)
    for revisable in REVISABLE:
        first = next((update for update in ordered if revisable.revised_by(update)), None)
        for column, old, initial in zip(revisable.columns, revisable.old_fields, revisable.initial_fields, strict=True):
            value = getattr(first, old) if first else getattr(commitment, column)
            setattr(
                commitment,
                initial,
                "" if value is None and column in ("deadline_precision", "title", "title_ja", "instrument") else value,
            )


INITIAL_FIELDS = tuple(f"initial_{column}" for column in STATE_COLUMNS)


@dataclass(frozen=True)
class Period:
    known_from: datetime.date
    known_until: datetime.date
    state: State
    last_update_on: datetime.date | None
    changed: bool

    def as_row(self, commitment_id: int) -> CommitmentState:
        return CommitmentState(
            commitment_id=commitment_id,
            known_from=self.known_from,
            known_until=self.known_until,
            last_update_on=self.last_update_on,
            changed=self.changed,
            **dict(zip(STATE_COLUMNS, self.state, strict=True)),
        )


@dataclass
class Replay:
    current: State
    old: dict[int, dict[str, Any]]  # update id -> its old values
    periods: list[Period]


def _on_record_from(commitment: Commitment, updates: Sequence[StatusUpdate]) -> datetime.date:
    if commitment.announced_on and commitment.announced_precision:
        return known_from(commitment.announced_on, commitment.announced_precision)
    if updates:
        return min(known_from(update.happened_on, update.happened_precision) for update in updates)
    return BEGINNING


def _periods(commitment: Commitment, updates: list[StatusUpdate]) -> list[Period]:
    """One period per day on which something new became known (merged where nothing shown changes)."""
    start = _on_record_from(commitment, updates)
    knowns = [
        (known_from(update.happened_on, update.happened_precision), index) for index, update in enumerate(updates)
    ]
    breaks = sorted({start} | {day for day, _ in knowns if day > start})
    periods: list[Period] = []
    # The state after updates[: prefix + 1], all of them known: most breaks only extend it. What is known beyond it
    # (an update with a vague date known later than one after it) is applied on top, in date order.
    prefix_state, prefix = initial_state(commitment), -1
    known: set[int] = set()
    pending = sorted(knowns)  # (known from, index), consumed in that order
    taken, last = 0, None
    for number, day in enumerate(breaks):
        while taken < len(pending) and pending[taken][0] <= day:
            index = pending[taken][1]
            known.add(index)
            last = max(last, updates[index].happened_on) if last else updates[index].happened_on
            taken += 1
        while prefix + 1 in known:
            prefix += 1
            prefix_state = apply(prefix_state, updates[prefix])
            known.discard(prefix)  # `known` keeps only what lies beyond the prefix
        state = prefix_state
        for index in sorted(known):
            state = apply(state, updates[index])
        until = breaks[number + 1] if number + 1 < len(breaks) else STILL_CURRENT
        previous = periods[-1] if periods else None
        visible = shown(state)
        if previous and previous.state == visible and previous.last_update_on == last:
            periods[-1] = Period(previous.known_from, until, visible, last, previous.changed)
        else:
            periods.append(Period(day, until, visible, last, previous is None or previous.state != visible))
    return periods


def replay(commitment: Commitment, updates: Iterable[StatusUpdate]) -> Replay:
    """Replay `updates` (all of the commitment's, in any order) from its initial state."""
    ordered = chronological(updates)
    state = initial_state(commitment)
    old = {}
    for update in ordered:
        old[update.pk] = old_values(state, update)
        state = apply(state, update)
    return Replay(shown(state), old, _periods(commitment, ordered))


@dataclass
class Rederived:
    """What a rebuild changed: the current state, and the old values of other updates (downstream of an insertion,
    an edit or a deletion)."""

    commitment: Commitment
    current_before: State
    current_after: State
    updates: list[tuple[StatusUpdate, dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @property
    def current_changed(self) -> bool:
        return self.current_before != self.current_after

    def _words(self, state: State, revisable) -> str:
        values = dict(zip(STATE_COLUMNS, state, strict=True))
        return revisable.describe(self.commitment, tuple(values[column] for column in revisable.columns))

    def summary(self, *, leave_out: int | None = None) -> list[str]:
        """What the replay changed, for the editor who caused it: other updates whose old → new now reads
        differently (not `leave_out`, the update just saved), and the current state."""
        lines = []
        for update, before, after in self.updates:
            if update.pk == leave_out:
                continue
            changed = [
                f"{revisable.key} now from {self._old_words(after, revisable)} (was from {self._old_words(before, revisable)})"
                for revisable in REVISABLE
                if revisable.revised_by(update) and any(before[name] != after[name] for name in revisable.old_fields)
            ]
            if changed:
                lines.append(f"The update of {update.happened_display} re-derived: {'; '.join(changed)}.")
        moved = [
            f"{revisable.key} {self._words(self.current_before, revisable)} → {self._words(self.current_after, revisable)}"
            for revisable in REVISABLE
            if self._words(self.current_before, revisable) != self._words(self.current_after, revisable)
        ]
        if moved:
            lines.append(f"Current state of “{self.commitment.title}” now: {'; '.join(moved)}.")
        else:
            lines.append(f"The current state of “{self.commitment.title}” is unchanged.")
        return lines

    def _old_words(self, old: dict[str, Any], revisable) -> str:
        return revisable.describe(self.commitment, tuple(old[name] for name in revisable.old_fields))


def _updates_of(commitment_id: int) -> list[StatusUpdate]:
    return list(StatusUpdate.objects.filter(commitment_id=commitment_id).only(*REPLAY_FIELDS))


def rebuild(commitment: Commitment) -> Rederived:
    """Replay `commitment`'s updates and store the result: its current state, every update's old values, its state
    periods. Locks the commitment's row; runs in the caller's transaction (or its own). `commitment` in memory gets
    the new state and revision too."""
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        updates = _updates_of(locked.pk)
        result = replay(locked, updates)
        rederived = Rederived(locked, current_state(locked), result.current)
        stale = []
        for update in updates:
            before = {name: getattr(update, name) for name in OLD_FIELDS}
            if before != result.old[update.pk]:
                for name, value in result.old[update.pk].items():
                    setattr(update, name, value)
                stale.append(update)
                rederived.updates.append((update, before, result.old[update.pk]))
        if stale:
            # Derived values, not edits: no entry in the audit history (which records what editors type).
            StatusUpdate.objects.bulk_update(stale, OLD_FIELDS)
        CommitmentState.objects.filter(commitment_id=locked.pk).delete()
        CommitmentState.objects.bulk_create([period.as_row(locked.pk) for period in result.periods])
        # Saved even when unchanged, so the revision tells an editor with an open form that the history moved; the
        # audit history gets a row only when the state did change.
        for column, value in zip(STATE_COLUMNS, result.current, strict=True):
            setattr(locked, column, value)
        if not rederived.current_changed:
            # simple_history skips the audit row whenever this attribute exists, whatever its value.
            locked.skip_history_when_saving = True  # type: ignore[attr-defined]
        locked.save(update_fields=STATE_COLUMNS)
    for column in (*STATE_COLUMNS, "revision"):
        setattr(commitment, column, getattr(locked, column))
    return rederived


BATCH = 2000


def rebuild_all(*, batch: int = BATCH) -> int:
    """Rebuild every commitment's projection, in batches (one transaction each); returns how many were rebuilt.
    Current states and old values are written only where they differ."""
    ids = list(Commitment.objects.order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(ids), batch):
        chunk = ids[offset : offset + batch]
        with transaction.atomic():
            commitments = list(
                Commitment.objects.select_for_update().filter(pk__in=chunk).order_by("pk").only(*COMMITMENT_FIELDS)
            )
            by_commitment: dict[int, list[StatusUpdate]] = {pk: [] for pk in chunk}
            for update in StatusUpdate.objects.filter(commitment_id__in=chunk).only(*REPLAY_FIELDS):
                by_commitment[update.commitment_id].append(update)
            states, stale_updates, stale_commitments = [], [], []
            uninitialised = []
            for commitment in commitments:
                if not commitment.initial_title:  # never blank once initialised: a commitment always has a title
                    initialise(commitment, by_commitment[commitment.pk])
                    uninitialised.append(commitment)
                result = replay(commitment, by_commitment[commitment.pk])
                for update in by_commitment[commitment.pk]:
                    if any(getattr(update, name) != value for name, value in result.old[update.pk].items()):
                        for name, value in result.old[update.pk].items():
                            setattr(update, name, value)
                        stale_updates.append(update)
                if current_state(commitment) != result.current:
                    for column, value in zip(STATE_COLUMNS, result.current, strict=True):
                        setattr(commitment, column, value)
                    stale_commitments.append(commitment)
                states += [period.as_row(commitment.pk) for period in result.periods]
            if stale_updates:
                StatusUpdate.objects.bulk_update(stale_updates, OLD_FIELDS, batch_size=1000)
            if uninitialised:
                Commitment.objects.bulk_update(uninitialised, INITIAL_FIELDS, batch_size=1000)
            if stale_commitments:
                Commitment.objects.bulk_update(stale_commitments, STATE_COLUMNS, batch_size=1000)
            CommitmentState.objects.filter(commitment_id__in=chunk).delete()
            CommitmentState.objects.bulk_create(states, batch_size=5000)
    return len(ids)


def _period_key(period: Period | CommitmentState) -> tuple:
    if isinstance(period, Period):
        return (period.known_from, period.known_until, period.state, period.last_update_on, period.changed)
    state = tuple(getattr(period, column) for column in STATE_COLUMNS)
    return (period.known_from, period.known_until, state, period.last_update_on, period.changed)


def problems(*, batch: int = BATCH) -> list[str]:
    """Every place where what is stored differs from a fresh replay of the events, in words; empty when none."""
    found = []
    ids = list(Commitment.objects.order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(ids), batch):
        chunk = ids[offset : offset + batch]
        by_commitment: dict[int, list[StatusUpdate]] = {pk: [] for pk in chunk}
        for update in StatusUpdate.objects.filter(commitment_id__in=chunk).only(*REPLAY_FIELDS):
            by_commitment[update.commitment_id].append(update)
        stored: dict[int, list[CommitmentState]] = {pk: [] for pk in chunk}
        for period in CommitmentState.objects.filter(commitment_id__in=chunk).order_by("known_from"):
            stored[period.commitment_id].append(period)
        for commitment in Commitment.objects.filter(pk__in=chunk).order_by("pk").only("slug", *COMMITMENT_FIELDS):
            result = replay(commitment, by_commitment[commitment.pk])
            for column, stored_value, replayed in zip(
                STATE_COLUMNS, current_state(commitment), result.current, strict=True
            ):
                if stored_value != replayed:
                    found.append(f"{commitment.slug}: {column} is {stored_value!r}, but its events give {replayed!r}")
            for update in chronological(by_commitment[commitment.pk]):
                for name, replayed in result.old[update.pk].items():
                    if getattr(update, name) != replayed:
                        found.append(
                            f"{commitment.slug}: update {update.pk} ({update.happened_on}) has {name} "
                            f"{getattr(update, name)!r}, but the replay gives {replayed!r}"
                        )
            if [_period_key(p) for p in stored[commitment.pk]] != [_period_key(p) for p in result.periods]:
                found.append(f"{commitment.slug}: its stored state periods differ from the replay of its events")
    return found
