"""What the tracker knew on a given day: each commitment's status, formality, target and deadline as they stood.

The history makes this exact: on day D, a field's value is the new value of its latest revision known by D;
failing that, the old value of its first revision after D (what it was before anything changed); failing that,
its current value (it was never revised). Without a day, the "then" values are simply the current ones, so the
same queries and templates serve both.

"Known by D" is cautious about vague dates: an event dated only to October 2025 is known from 31 October 2025,
when the whole month has passed, not from the 1st.
"""

import datetime

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When

from tracker.dates import DatePrecision
from tracker.models import StatusUpdate

# commitment field, update field with the old value, update field with the new value, "revised" condition
STATE_FIELDS = (
    ("status", "old_status", "new_status", ~Q(new_status="")),
    ("formality", "old_formality", "new_formality", ~Q(new_formality="")),
    ("target_value", "old_target_value", "new_target_value", Q(new_target_value__isnull=False)),
    ("deadline", "old_deadline", "new_deadline", Q(new_deadline__isnull=False)),
    ("deadline_precision", "old_deadline_precision", "new_deadline_precision", Q(new_deadline__isnull=False)),
)


def known_by(day: datetime.date, date_field: str, precision_field: str) -> Q:
    """Rows whose date, at its precision, has surely passed by `day`."""
    condition = Q()
    for precision in DatePrecision:
        condition |= Q(**{precision_field: precision.value, f"{date_field}__lte": precision.last_complete_start(day)})
    return condition


def is_known_by(date: datetime.date | None, precision: str, day: datetime.date) -> bool:
    return bool(date and precision) and date <= DatePrecision(precision).last_complete_start(day)


def then(field: str) -> str:
    return f"{field}_then"


def parse_as_of(raw: str | None) -> tuple[datetime.date | None, str]:
    """The day from `?as_of=YYYY-MM-DD`, or None and a message saying why it was ignored."""
    if not raw:
        return None, ""
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return None, f"“{raw[:40]}” is not a date like 2025-10-28, so today's state is shown."
    if not datetime.date(1900, 1, 1) <= day <= datetime.date(2200, 12, 31):
        return None, "That date is out of range, so today's state is shown."
    return day, ""


def with_state(queryset: QuerySet, day: datetime.date | None) -> QuerySet:
    """Annotate `<field>_then` for every revisable field; with a day, keep only what existed then."""
    if day is None:
        return queryset.annotate(**{then(field): F(field) for field, *_ in STATE_FIELDS})
    annotations = {}
    for field, old_field, new_field, revised in STATE_FIELDS:
        revisions = StatusUpdate.objects.filter(revised, commitment=OuterRef("pk"))
        known = known_by(day, "happened_on", "happened_precision")
        before = revisions.filter(known)
        after = revisions.exclude(known)
        annotations[then(field)] = Case(
            When(Exists(before), then=Subquery(before.order_by("-happened_on", "-id").values(new_field)[:1])),
            When(Exists(after), then=Subquery(after.order_by("happened_on", "id").values(old_field)[:1])),
            default=F(field),
        )
    return queryset.filter(existed_on(day)).annotate(**annotations)


def existed_on(day: datetime.date) -> Q:
    """Announced by then; or, with no announcement date, some update on record by then (or none at all)."""
    updates = StatusUpdate.objects.filter(commitment=OuterRef("pk"))
    return known_by(day, "announced_on", "announced_precision") | (
        Q(announced_on__isnull=True)
        & (Exists(updates.filter(known_by(day, "happened_on", "happened_precision"))) | ~Exists(updates))
    )


def show_state_then(commitment) -> None:
    """Put the annotated `<field>_then` values in the fields the templates read (in memory only, never saved)."""
    for field, *_ in STATE_FIELDS:
        value = getattr(commitment, then(field))
        if field in ("status", "formality") and not value:
            value = commitment._meta.get_field(field).get_default()
        if field == "deadline_precision":
            value = value or ""
        setattr(commitment, field, value)
    if not commitment.deadline:
        commitment.deadline_precision = ""


def replay(commitment, updates: list[StatusUpdate], day: datetime.date) -> list[StatusUpdate]:
    """Set `commitment`'s fields (in memory) to what they were on `day`, from its updates in date order, and
    return the updates known by then."""
    known = [update for update in updates if is_known_by(update.happened_on, update.happened_precision, day)]
    later = [update for update in updates if update not in known]
    for field, old_field, new_field, _revised in STATE_FIELDS:
        revises = (
            (lambda update: update.new_deadline is not None)
            if field in ("deadline", "deadline_precision")
            else (lambda update, name=new_field: getattr(update, name) not in ("", None))
        )
        before = [update for update in known if revises(update)]
        after = [update for update in later if revises(update)]
        if before:
            setattr(commitment, then(field), getattr(before[-1], new_field))
        elif after:
            setattr(commitment, then(field), getattr(after[0], old_field))
        else:
            setattr(commitment, then(field), getattr(commitment, field))
    show_state_then(commitment)
    return known


def shown_as_of(commitments) -> list:
    """Evaluate a `with_state` queryset, each commitment showing its state as it stood (for the templates)."""
    rows = list(commitments)
    for commitment in rows:
        show_state_then(commitment)
    return rows
