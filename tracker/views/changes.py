"""/changes/: what moved between two days. Every commitment whose state on `to` differs from its state on `from`
(or which came on record in between), old → new per part, with the events in between and their sources.

The same filters as the index (over the state on `to`), a shareable URL, CSV and JSON twins.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from tracker.asof import DayField, known_by
from tracker.caching import public_page
from tracker.clock import today
from tracker.exports import csv_response, json_response
from tracker.filters import CommitmentFilter, actor_choices
from tracker.htmx import is_partial, page_or_partial, push_url
from tracker.models import REVISABLE, STATE_COLUMNS, Commitment, StatusUpdate, show_state_then

PAGE_SIZE = 25
DEFAULT_DAYS = 30


class WindowForm(forms.Form):
    """The two days compared. `from` is a Python keyword, hence the fields are added by name."""

    def __init__(self, data, *, default_end: datetime.date):
        super().__init__(data)
        self.fields["from"] = DayField(required=False, label=_("From"))
        self.fields["to"] = DayField(required=False, label=_("To"))
        self.default_end = default_end

    @classmethod
    def shown(cls, start: datetime.date, end: datetime.date) -> "WindowForm":
        """The form as the page shows it: the two days in use, whatever was typed."""
        return cls({"from": start.isoformat(), "to": end.isoformat()}, default_end=end)

    def window(self) -> tuple[datetime.date, datetime.date, list[str]]:
        """(from, to, messages): the last DEFAULT_DAYS days unless asked otherwise; a bad day is named and ignored."""
        self.is_valid()
        notes = [
            gettext("“%(value)s” is not a date like 2025-10-28: ignored.") % {"value": self.data.get(name, "")[:40]}
            for name in self.errors
        ]
        end = self.cleaned_data.get("to") or self.default_end
        start = self.cleaned_data.get("from") or end - datetime.timedelta(days=DEFAULT_DAYS)
        if start > end:
            start, end = end, start
            notes.append(gettext("“From” was after “To”: the two days were swapped."))
        return start, end, notes


class ChangesFilter(CommitmentFilter):
    """The index's filters, over the commitments that moved; the day looked at is the window's end."""

    as_of = None  # type: ignore[assignment]  # the window replaces it

    def __init__(self, data, *, moved_ids: list[int], end: datetime.date):
        self.moved_ids = moved_ids
        queryset = Commitment.objects.for_listing(end).filter(pk__in_ids=moved_ids)
        super().__init__(data, queryset=queryset, today=end, actors=actor_choices(), as_of=end)

    def facet_base(self):
        return Commitment.objects.order_by().as_of(self.as_of).filter(pk__in_ids=self.moved_ids)


@dataclass(frozen=True)
class Change:
    what: str
    old: str
    new: str


def _changes(commitment: Commitment) -> list[Change]:
    """Old → new for each part of the state that differs between the two days (everything, when it is new)."""
    before = {column: getattr(commitment, f"{column}_before") for column in STATE_COLUMNS}
    after = {column: getattr(commitment, column) for column in STATE_COLUMNS}
    rows = []
    for revisable in REVISABLE:
        old = tuple(before[column] for column in revisable.columns)
        new = tuple(after[column] for column in revisable.columns)
        if commitment.was_on_record and old == new:
            continue
        rows.append(
            Change(
                revisable.key,
                revisable.describe(commitment, old) if commitment.was_on_record else gettext("not on record"),
                revisable.describe(commitment, new),
            )
        )
    return rows


def _moved(request):
    """The window asked for, and the filters over what moved in it. Which commitments moved is worked out once, in
    one query (Commitment.objects.changed_between); the list and each facet then take those ids as one parameter."""
    start, end, notes = WindowForm(request.GET, default_end=today()).window()
    moved_ids = list(Commitment.objects.as_of(end).changed_between(start, end).values_list("pk", flat=True))
    return start, end, notes, ChangesFilter(request.GET, moved_ids=moved_ids, end=end)


def _with_events(commitments: list[Commitment], start, end) -> list[Commitment]:
    """Each commitment's state on `start` and its events that became known in the window, oldest first: two
    queries for the page, whatever its length."""
    before = {
        row["pk"]: row
        for row in Commitment.objects.filter(pk__in=[commitment.pk for commitment in commitments])
        .as_of(start)
        .values("pk", *(f"{column}_then" for column in STATE_COLUMNS))
    }
    events = (
        StatusUpdate.objects.filter(commitment__in=commitments)
        .filter(known_by(end, "happened_on", "happened_precision"))
        .exclude(known_by(start, "happened_on", "happened_precision"))
        .select_related("source")
        .defer("source__text")
        .order_by("happened_on", "id")
    )
    by_commitment: dict[int, list[StatusUpdate]] = {}
    for event in events:
        by_commitment.setdefault(event.commitment_id, []).append(event)
    for commitment in commitments:
        then = before.get(commitment.pk)
        commitment.was_on_record = then is not None
        for column in STATE_COLUMNS:
            setattr(commitment, f"{column}_before", then[f"{column}_then"] if then else None)
        found = by_commitment.get(commitment.pk, [])
        for event in found:
            event.commitment = commitment
        commitment.events = found  # type: ignore[attr-defined]  # for the template
        commitment.changes = _changes(commitment)  # type: ignore[attr-defined]
    return commitments


def _query(start, end, filters: CommitmentFilter) -> str:
    return urlencode({"from": start.isoformat(), "to": end.isoformat(), **filters.active})


@require_safe
@public_page
def changes(request):
    start, end, notes, filters = _moved(request)
    page_number = request.GET.get("page", "1")
    page = Paginator(filters.qs.order_by(*filters.sort_order.ordering()), PAGE_SIZE).get_page(page_number)
    page.object_list = _with_events(show_state_then(page.object_list), start, end)
    filters.label_choices_with_counts(filters.facet_counts())
    query = _query(start, end, filters)
    context = {
        "window_shown": WindowForm.shown(start, end),
        "filter": filters,
        "start": start,
        "end": end,
        "notes": notes,
        "page": page,
        "query": query,
        "today": end,
        "as_of": None,
    }
    response = render(request, page_or_partial(request, "tracker/changes.html", "moved"), context)
    if is_partial(request):
        push_url(response, request, query)
    return response


EXPORT_FIELDS = ("slug", "title", "what", "from_day", "to_day", "old", "new", "events", "url")


def _export_rows(request):
    start, end, _notes, filters = _moved(request)
    commitments = _with_events(show_state_then(filters.qs.order_by(*filters.sort_order.ordering())), start, end)
    for commitment in commitments:
        url = request.build_absolute_uri(commitment.get_absolute_url())
        events = " ".join(
            request.build_absolute_uri(reverse("update_detail", args=[event.pk])) for event in commitment.events
        )
        for change in commitment.changes:
            yield {
                "slug": commitment.slug,
                "title": commitment.title,
                "what": change.what,
                "from_day": start.isoformat(),
                "to_day": end.isoformat(),
                "old": change.old,
                "new": change.new,
                "events": events,
                "url": url,
            }


@require_safe
@public_page
def changes_csv(request):
    return csv_response("changes.csv", EXPORT_FIELDS, _export_rows(request))


@require_safe
@public_page
def changes_json(request):
    start, end, _notes, filters = _moved(request)
    commitments = _with_events(show_state_then(filters.qs.order_by(*filters.sort_order.ordering())), start, end)
    results = [
        {
            "slug": commitment.slug,
            "title": commitment.title,
            "url": request.build_absolute_uri(commitment.get_absolute_url()),
            "new_on_record": not commitment.was_on_record,
            "changes": [{"what": c.what, "old": c.old, "new": c.new} for c in commitment.changes],
            "events": [
                {
                    "date": event.happened_on.isoformat(),
                    "precision": event.happened_precision,
                    "note": event.note,
                    "source": event.source.display_title if event.source else None,
                    "url": request.build_absolute_uri(reverse("update_detail", args=[event.pk])),
                }
                for event in commitment.events
            ],
        }
        for commitment in commitments
    ]
    return json_response(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "filters": filters.active,
            "ignored": filters.ignored,
            "count": len(results),
            "results": results,
        }
    )
