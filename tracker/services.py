"""Writes that touch more than one row: a status update and the commitment it changes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

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


def revised_fields(update: StatusUpdate) -> list[str]:
    """The commitment fields this update revises, by name ("status", "deadline"…)."""
    return [field for field, _old, new_field, empty in REVISABLE if _changes(update, field, new_field, empty)]


def _later_updates(update: StatusUpdate):
    others = StatusUpdate.objects.filter(commitment_id=update.commitment_id).exclude(pk=update.pk)
    if update.pk is None:
        return others.filter(happened_on__gt=update.happened_on)
    return others.filter(Q(happened_on__gt=update.happened_on) | Q(happened_on=update.happened_on, pk__gt=update.pk))


def _conflicting_revision(update: StatusUpdate) -> tuple[str, StatusUpdate] | None:
    """A later update that revises a field this one revises too, if any."""
    fields = set(revised_fields(update))
    if not fields:
        return None
    for later in _later_updates(update).order_by("happened_on", "pk"):
        common = fields & set(revised_fields(later))
        if common:
            return sorted(common)[0], later
    return None


def _refuse_if_revised_later(update: StatusUpdate, message: str) -> None:
    conflict = _conflicting_revision(update)
    if conflict:
        field, later = conflict
        raise ValidationError(message.format(when=later.happened_display, what=field.replace("_", " ")))


def check_can_record(update: StatusUpdate) -> None:
    """A revision must be the latest of its field: the commitment's current value is the newest one."""
    _refuse_if_revised_later(
        update,
        "A later update ({when}) already revises the {what}: a revision must be the most recent one for what it changes.",
    )


def check_can_delete(update: StatusUpdate) -> None:
    _refuse_if_revised_later(update, "The update of {when} revises the {what} again: delete that one first.")


@transaction.atomic
def delete_update(update: StatusUpdate) -> None:
    """Delete `update` and give back to its commitment the values it had before it."""
    commitment = Commitment.objects.select_for_update().get(pk=update.commitment_id)
    check_can_delete(update)
    changed = []
    for field, old_field, new_field, empty in REVISABLE:
        if _changes(update, field, new_field, empty):
            old = getattr(update, old_field)
            if old == "" and not Commitment._meta.get_field(field).blank:
                old = Commitment._meta.get_field(field).get_default()
            setattr(commitment, field, old)
            changed.append(field)
    update.delete()
    if changed:
        commitment.save(update_fields=changed)


@transaction.atomic
def record_update(update: StatusUpdate) -> StatusUpdate:
    """Save `update` and apply what it changes to its commitment, keeping the old values on the update.

    The commitment row is locked so that two editors recording updates at once apply them one after the other.
    """
    commitment = Commitment.objects.select_for_update().get(pk=update.commitment_id)
    check_can_record(update)
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
                problems.append(
                    f"{commitment.slug}: {field} revised from {old!r} on {update.happened_on}, but it was {current!r}"
                )
            current = getattr(update, new_field)
            seen = True
        if seen and current != getattr(commitment, field):
            problems.append(
                f"{commitment.slug}: {field} is {getattr(commitment, field)!r}, but its history ends at {current!r}"
            )
    return problems
