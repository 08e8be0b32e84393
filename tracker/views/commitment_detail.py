from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from tracker import charts, history
from tracker.asof import is_known_by, parse_as_of
from tracker.caching import public_page
from tracker.clock import today
from tracker.models import STATE_COLUMNS, Commitment, CommitmentLink, Reading, RelationKind, StatusUpdate, Unit

HISTORY_SHOWN = 30
QUOTES_PER_PAGE = 25

# RelationKind labels read a link from its first commitment ("X answers Y"); these read it from the second
# ("Y is answered by X").
INVERSE_RELATION = {
    RelationKind.ANSWERS: _("is answered by"),
    RelationKind.COUNTERPART: RelationKind.COUNTERPART.label,
    RelationKind.PART_OF: _("includes"),
    RelationKind.FOLLOWS_UP: _("is followed up by"),
}


@dataclass(frozen=True)
class Related:
    """Another commitment, and how this one relates to it: "answers", "is answered by"…"""

    relation: str
    commitment: Commitment


def related_commitments(commitment: Commitment, links) -> list[Related]:
    related = []
    for link in links:
        if link.from_commitment_id == commitment.pk:
            related.append(Related(str(RelationKind(link.relation).label), link.to_commitment))
        else:
            related.append(Related(str(INVERSE_RELATION[RelationKind(link.relation)]), link.from_commitment))
    return sorted(related, key=lambda item: (item.relation, item.commitment.title))


@dataclass(frozen=True)
class Part:
    """A commitment that is part of this one, with its latest measured amount (or, unmeasured, its target)."""

    commitment: Commitment
    measurement: StatusUpdate | None

    @property
    def amount(self) -> Decimal | None:
        if self.measurement is not None:
            return self.measurement.measured_value
        return self.commitment.target_value

    @property
    def unit(self) -> str:
        if self.measurement is not None and self.measurement.measured_unit:
            return self.measurement.measured_unit
        return self.commitment.unit

    @property
    def amount_display(self) -> str:
        if self.measurement is not None:
            return self.measurement.format_measured()
        if self.commitment.target_value is not None:
            return gettext("%(value)s (target)") % {"value": self.commitment.format_value(self.commitment.target_value)}
        return gettext("no amount stated")


@dataclass(frozen=True)
class PartsSum:
    total: Decimal
    words: str
    counted: int  # parts with an amount in the parent's unit
    parent_words: str  # the parent's own latest figure, or its target
    differs: bool


def _parts(commitment: Commitment, related: list[Related], updates) -> tuple[list[Part], PartsSum | None]:
    """The parts of `commitment` (the commitments that are "part of" it), each with its latest measurement, and what
    they add up to beside the commitment's own latest figure."""
    members = [item.commitment for item in related if item.relation == str(INVERSE_RELATION[RelationKind.PART_OF])]
    if not members:
        return [], None
    latest: dict[int, StatusUpdate] = {}
    measured = StatusUpdate.objects.filter(commitment__in=members, measured_value__isnull=False)
    for update in sorted(measured, key=charts.measurement_order):
        latest[update.commitment_id] = update
    parts = []
    for member in members:
        measurement = latest.get(member.pk)
        if measurement is not None:
            measurement.commitment = member  # its unit and label, without a query
        parts.append(Part(member, measurement))
    if Unit(commitment.unit) is Unit.NONE:
        return parts, None
    in_unit = [part for part in parts if part.amount is not None and part.unit == commitment.unit]
    if not in_unit:
        return parts, None
    total = sum((part.amount or Decimal(0) for part in in_unit), Decimal(0))
    own = [update for update in updates if update.is_measurement and not update.measured_unit]
    own_latest = max(own, key=charts.measurement_order) if own else None
    own_value = own_latest.measured_value if own_latest else commitment.target_value
    if own_latest is not None:
        parent_words = gettext("%(value)s (latest figure)") % {"value": own_latest.format_measured()}
    elif commitment.target_value is not None:
        parent_words = gettext("%(value)s (target)") % {"value": commitment.format_value(commitment.target_value)}
    else:
        parent_words = ""
    return parts, PartsSum(
        total,
        commitment.format_value(total),
        len(in_unit),
        parent_words,
        own_value is not None and own_value != total,
    )


def _get_commitment_or_404(slug: str) -> Commitment:
    return get_object_or_404(Commitment.objects.for_detail(), slug=slug)


def _show_as_of(commitment: Commitment, related: list[Related], day) -> bool:
    """Put the state of `commitment` and of its related commitments on `day` in their fields (in memory), from the
    stored projection: one query for all of them. Returns whether `commitment` was on record by then; if not, it is
    shown as first recorded. A related commitment not on record by then is marked so (`on_record` False)."""
    ids = [commitment.pk, *(item.commitment.pk for item in related)]
    then = {
        row["pk"]: row
        for row in Commitment.objects.filter(pk__in=ids).as_of(day).values("pk", *(f"{c}_then" for c in STATE_COLUMNS))
    }
    for shown in (commitment, *(item.commitment for item in related)):
        row = then.get(shown.pk)
        values = [row[f"{c}_then"] for c in STATE_COLUMNS] if row else history.shown(history.initial_state(shown))
        for column, value in zip(STATE_COLUMNS, values, strict=True):
            setattr(shown, column, value)
        shown.on_record = row is not None  # type: ignore[attr-defined]  # read by the template
    return commitment.on_record  # type: ignore[attr-defined]


def _known_by(quote, day) -> bool:
    """Said by then, or (undated) in a source published by then."""
    if quote.said_on:
        return is_known_by(quote.said_on, quote.said_precision, day)
    return is_known_by(quote.source.published_on, quote.source.published_precision, day)


@require_safe
@public_page
def commitment_detail(request, slug):
    commitment = _get_commitment_or_404(slug)
    quotes = commitment.quotes.select_related("source", "speaker", "according_to").order_by("said_on", "id")
    # The timeline never needs a source's full text (only the supporting quotes are checked against it).
    updates = list(
        commitment.updates.select_related("source", "quote__speaker", "quote__according_to")
        .defer("source__text")
        .chronological()
    )
    links = CommitmentLink.objects.select_related("from_commitment", "to_commitment").filter(
        Q(from_commitment=commitment) | Q(to_commitment=commitment)
    )
    quotes = list(quotes)
    related = related_commitments(commitment, links)
    as_of, as_of_error = parse_as_of(request.GET.get("as_of"))
    on_record = True
    if as_of:
        on_record = _show_as_of(commitment, related, as_of)
        updates = [update for update in updates if is_known_by(update.happened_on, update.happened_precision, as_of)]
        quotes = [quote for quote in quotes if _known_by(quote, as_of)]
    series = charts.measure_series(commitment, updates)
    parts, parts_sum = _parts(commitment, related, updates)
    readings = list(
        Reading.objects.filter(commitment=commitment)
        .select_related("party", "quote__speaker", "quote__source")
        .order_by("-party__country", "id")
    )
    if as_of:
        readings = [reading for reading in readings if _known_by(reading.quote, as_of)]
    latest_event = max(updates, key=lambda update: (update.happened_on, update.pk), default=None)
    last_check = commitment.checks.filter(checked_on__lte=as_of or today()).select_related("source").first()
    day = as_of or today()
    # A long record stays a page of reasonable size (under 60 KB of HTML): the latest updates, the whole history
    # being on the commitment's timeline, and the quotes a page at a time. Counted and cut in memory: no query more.
    quotes_page = Paginator(quotes, QUOTES_PER_PAGE).get_page(request.GET.get("quotes"))
    shown_updates = updates[-HISTORY_SHOWN:]
    context = {
        "commitment": commitment,
        "quotes": quotes_page.object_list,
        "quotes_page": quotes_page,
        "updates": shown_updates,
        "earlier_updates": len(updates) - len(shown_updates),
        "related": related,
        "today": day,
        "parts": parts,
        "parts_sum": parts_sum,
        "readings": readings,
        "latest_event": latest_event,
        "last_check": last_check,
        "review_reasons": commitment.review_reasons(
            day, latest_event.happened_on if latest_event else None, last_check.checked_on if last_check else None
        ),
        "as_of": as_of,
        "as_of_error": as_of_error,
        "on_record": on_record,
        "series": series,
        "chart": charts.measure_figure("progress-chart", series) if series else "",
        # The sources a note may name, linked by title: those already loaded with the quotes and events.
        "sources": {
            source.pk: source
            for source in [*(quote.source for quote in quotes), *(u.source for u in updates if u.source)]
        }.values(),
    }
    return render(request, "tracker/commitment_detail.html", context)
