"""Writes that touch more than one row: a status update and the commitment it changes."""

from django.db import transaction

from tracker.models import Commitment, StatusUpdate

# Each revisable field of a commitment, and the update fields that carry its old and new values.
REVISABLE = (
    ("status", "old_status", "new_status", ""),
    ("formality", "old_formality", "new_formality", ""),
    ("target_value", "old_target_value", "new_target_value", None),
    ("deadline", "old_deadline", "new_deadline", None),
    ("deadline_precision", "old_deadline_precision", "new_deadline_precision", ""),
)


def _changes(update: StatusUpdate, field: str, new_field: str, empty) -> bool:
    # Precision moves with its deadline: a deadline revision always carries both.
    if field == "deadline_precision":
        return update.new_deadline is not None
    return getattr(update, new_field) != empty


@transaction.atomic
def record_update(update: StatusUpdate) -> StatusUpdate:
    """Save `update` and apply what it changes to its commitment, keeping the old values on the update.

    The commitment row is locked so that two editors recording updates at once apply them one after the other.
    """
    commitment = Commitment.objects.select_for_update().get(pk=update.commitment_id)
    changed = []
    for field, old_field, new_field, empty in REVISABLE:
        if _changes(update, field, new_field, empty):
            setattr(update, old_field, getattr(commitment, field))
            setattr(commitment, field, getattr(update, new_field))
            changed.append(field)
    update.commitment = commitment
    update.save()
    if changed:
        commitment.save(update_fields=changed)
    return update


def history_problems(commitment: Commitment, updates: list[StatusUpdate]) -> list[str]:
    """Where a commitment's stored state does not follow from its updates (oldest first).

    Every revision's old value must be the previous revision's new value, and the last new value must be the
    commitment's current value. An empty list means the history explains the current state.
    """
    problems = []
    for field, old_field, new_field, empty in REVISABLE:
        current = None
        seen = False
        for update in updates:
            if not _changes(update, field, new_field, empty):
                continue
            old = getattr(update, old_field)
            if seen and old != current:
                problems.append(f"{commitment.slug}: {field} revised from {old!r} on {update.happened_on}, but it was {current!r}")
            current = getattr(update, new_field)
            seen = True
        if seen and current != getattr(commitment, field):
            problems.append(f"{commitment.slug}: {field} is {getattr(commitment, field)!r}, but its history ends at {current!r}")
    return problems
