"""The public timeline: every status update and every newly published source, newest first, in one list.

The two tables are merged in the database (a UNION of (kind, date, id) rows, ordered and sliced there), then the
rows of the page are fetched with what they show: a constant number of queries whatever the size of the history.
"""

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _

from tracker.models import REVISABLE, Commitment, Quote, Source, StatusUpdate

EVENT_TYPES = [
    *((revisable.key, revisable.event_label) for revisable in REVISABLE),
    ("measurement", _("Progress measurements")),
    ("source", _("New sources")),
]

UPDATE_CONDITIONS = {
    **{revisable.key: revisable.condition for revisable in REVISABLE},
    "measurement": Q(measured_value__isnull=False),
}


@dataclass
class Event:
    kind: str  # "update" or "source"
    day: datetime.date
    update: StatusUpdate | None = None
    source: Source | None = None

    @property
    def anchor(self) -> str:
        row = self.update if self.update is not None else self.source
        assert row is not None
        return f"{self.kind}-{row.pk}"


def _commitment_condition(filters: dict[str, str], prefix: str = "") -> Q:
    condition = Q()
    if filters.get("kind"):
        condition &= Q(**{f"{prefix}kind": filters["kind"]})
    if filters.get("party"):
        condition &= Q(**{f"{prefix}pledged_by__slug": filters["party"]}) | Q(
            **{f"{prefix}pledged_to__slug": filters["party"]}
        )
    if filters.get("commitment"):
        condition &= Q(**{f"{prefix}slug": filters["commitment"]})
    return condition


def _event_rows(filters: dict[str, str], start: datetime.date | None, end: datetime.date | None):
    event_type = filters.get("type", "")
    updates = StatusUpdate.objects.filter(_commitment_condition(filters, "commitment__"))
    if event_type in UPDATE_CONDITIONS:
        updates = updates.filter(UPDATE_CONDITIONS[event_type])
    sources = Source.objects.filter(published_on__isnull=False)
    if any(filters.get(name) for name in ("kind", "party", "commitment")):
        # A source belongs to the commitments its quotes support.
        supports = Quote.objects.filter(
            source=OuterRef("pk"), commitments__in=Commitment.objects.filter(_commitment_condition(filters))
        )
        sources = sources.filter(Exists(supports))
    if start:
        updates, sources = updates.filter(happened_on__gte=start), sources.filter(published_on__gte=start)
    if end:
        updates, sources = updates.filter(happened_on__lte=end), sources.filter(published_on__lte=end)
    update_rows = updates.annotate(event=Value("update", output_field=CharField()), day=F("happened_on")).values_list(
        "event", "day", "id"
    )
    source_rows = sources.annotate(event=Value("source", output_field=CharField()), day=F("published_on")).values_list(
        "event", "day", "id"
    )
    if event_type == "source":
        return source_rows.order_by("-day", "-id")
    if event_type:
        return update_rows.order_by("-day", "-id")
    return update_rows.order_by().union(source_rows.order_by(), all=True).order_by("-day", "-event", "-id")


def events_page(filters: dict[str, str], page: int, size: int, *, start=None, end=None) -> tuple[list[Event], bool]:
    """One page of events, newest first, and whether there is another."""
    offset = (page - 1) * size
    rows = list(_event_rows(filters, start, end)[offset : offset + size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    update_ids = [row_id for kind, _day, row_id in rows if kind == "update"]
    source_ids = [row_id for kind, _day, row_id in rows if kind == "source"]
    updates = {}
    if update_ids:
        updates = {
            update.pk: update
            for update in StatusUpdate.objects.filter(pk__in=update_ids).select_related(
                "commitment__pledged_by", "commitment__pledged_to", "source", "quote__speaker", "quote__according_to"
            )
        }
    sources = Source.objects.in_bulk(source_ids) if source_ids else {}
    events = []
    for kind, day, row_id in rows:
        if kind == "update":
            events.append(Event(kind, day, update=updates[row_id]))
        else:
            events.append(Event(kind, day, source=sources[row_id]))
    return events, has_next
