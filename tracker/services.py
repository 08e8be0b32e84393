"""Writes that touch more than one row: an event, and everything replayed from it (tracker.history).

Each runs in one transaction with the commitment's row locked, so two editors recording events for the same
commitment at once are applied one after the other, and a reader never sees an event without its consequences.
"""

from django.db import transaction

from tracker import history
from tracker.history import Rederived
from tracker.models import REVISABLE, STATE_COLUMNS, TITLE_COLUMNS, Commitment, StatusUpdate

# Set at creation only (see save_commitment): afterwards they change through events.
FROZEN_INITIAL = tuple(f"initial_{column}" for column in STATE_COLUMNS if column not in TITLE_COLUMNS)
DERIVED_EXCEPT_TITLE = tuple(column for column in STATE_COLUMNS if column not in TITLE_COLUMNS)


def _lock(*commitment_ids: int) -> None:
    # In id order, so that two transactions locking the same pair cannot deadlock.
    list(Commitment.objects.select_for_update().filter(pk__in=commitment_ids).order_by("pk").values_list("pk"))


@transaction.atomic
def record_update(update: StatusUpdate) -> StatusUpdate:
    """Save `update` (new, or edited: its date, values or even its commitment) and replay its commitment's history.

    An update may be dated before others (news found late): the states and the old → new of the later updates are
    derived again. What the replay changed elsewhere is left on `update.rederived` for the editor to read.
    """
    moved_from = None
    if update.pk is not None:
        moved_from = (
            StatusUpdate.objects.filter(pk=update.pk)
            .exclude(commitment_id=update.commitment_id)
            .values_list("commitment_id", flat=True)
            .first()
        )
    _lock(*{update.commitment_id, moved_from} - {None})  # type: ignore[arg-type]  # Nones taken out
    update.save()
    if moved_from is not None:
        history.rebuild(Commitment(pk=moved_from))
    update.rederived = history.rebuild(update.commitment)  # type: ignore[attr-defined]
    update.refresh_from_db(fields=history.OLD_FIELDS)
    return update


@transaction.atomic
def delete_update(update: StatusUpdate) -> Rederived:
    """Delete `update` and replay its commitment's history without it (any update, not only the latest)."""
    _lock(update.commitment_id)
    commitment = update.commitment
    update.delete()
    return history.rebuild(commitment)


def has_renamings(commitment: Commitment) -> bool:
    renaming = next(revisable for revisable in REVISABLE if revisable.key == "title")
    return StatusUpdate.objects.filter(renaming.condition, commitment_id=commitment.pk).exists()


@transaction.atomic
def save_commitment(commitment: Commitment) -> Commitment:
    """Save what an editor (a form, a revert, an import) may change of a commitment: its description.

    Its state is derived from its events and is never written here: whatever values `commitment` carries for them
    (an old version being reverted to, say) are replaced by the stored ones. A new commitment starts in the state it
    is created with. The title (in both languages) is the exception: until an event renames the commitment, editing
    it corrects the wording of its whole history.
    """
    if commitment._state.adding:
        commitment.save()  # records the initial state and replays (Commitment.save)
        return commitment
    stored = Commitment.objects.select_for_update().get(pk=commitment.pk)
    for name in (*DERIVED_EXCEPT_TITLE, *FROZEN_INITIAL):
        setattr(commitment, name, getattr(stored, name))
    initials = tuple(f"initial_{column}" for column in TITLE_COLUMNS)
    for column, initial in zip(TITLE_COLUMNS, initials, strict=True):
        if has_renamings(commitment):
            setattr(commitment, column, getattr(stored, column))
            setattr(commitment, initial, getattr(stored, initial))
        else:
            setattr(commitment, initial, getattr(commitment, column))
    commitment.save()
    if any(getattr(commitment, initial) != getattr(stored, initial) for initial in initials):
        history.rebuild(commitment)
    return commitment
