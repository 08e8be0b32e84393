from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from tracker import charts
from tracker.asof import known_by, parse_as_of
from tracker.caching import public_page
from tracker.clock import today
from tracker.models import Commitment, CommitmentKind, Status, StatusUpdate, is_part_condition, show_state_then

# The two figures the overview leads with, found by slug; the page still renders when either is missing.
HEADLINES = (
    ("defence-2pct-gdp", _("Defence spending")),
    ("investment-550bn", _("Investment in the United States")),
)
DEADLINES_SHOWN = 5
UPDATES_SHOWN = 8
# How many of the latest updates name the candidates for "latest updates" (see _recently_updated).
RECENT_WINDOW = 200


@dataclass(frozen=True)
class Tally:
    value: str
    label: str
    count: int
    css_class: str = ""


@dataclass(frozen=True)
class Headline:
    heading: str
    slug: str
    commitment: Commitment | None
    series: charts.Series | None
    chart: str


def tallies(rows) -> tuple[list[Tally], list[Tally], int]:
    """Top-level commitments by status and by kind (every choice, zeros included), and their total, from one grouped
    query's rows (status, kind, count) or (status, kind, is a part, count): parts are left out."""
    by_status: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for row in rows:
        status, kind, count = row[0], row[1], row[-1]
        if len(row) == 4 and row[2]:
            continue
        by_status[status] = by_status.get(status, 0) + count
        by_kind[kind] = by_kind.get(kind, 0) + count
    statuses = [
        Tally(status.value, str(status.label), by_status.get(status.value, 0), status.css_class) for status in Status
    ]
    kinds = [Tally(kind.value, str(kind.label), by_kind.get(kind.value, 0)) for kind in CommitmentKind]
    return statuses, kinds, sum(by_status.values())


def _headlines(as_of=None) -> list[Headline]:
    measurements = StatusUpdate.objects.filter(measured_value__isnull=False)
    if as_of:
        measurements = measurements.filter(known_by(as_of, "happened_on", "happened_precision"))
    found = {
        commitment.slug: commitment
        for commitment in show_state_then(
            Commitment.objects.filter(slug__in=[slug for slug, _ in HEADLINES])
            .as_of(as_of)
            .prefetch_related(Prefetch("updates", queryset=measurements, to_attr="measurements"))
        )
    }
    headlines = []
    for slug, heading in HEADLINES:
        commitment = found.get(slug)
        series = charts.measure_series(commitment, commitment.measurements, latest_only=True) if commitment else None
        chart = charts.measure_figure(f"chart-{slug}", series) if series else ""
        headlines.append(Headline(str(heading), slug, commitment, series, chart))
    return headlines


def _latest_update(field: str, as_of=None) -> Subquery:
    latest = StatusUpdate.objects.filter(commitment=OuterRef("pk")).order_by("-happened_on", "-id")
    if as_of:
        latest = latest.filter(known_by(as_of, "happened_on", "happened_precision"))
    return Subquery(latest.values(field)[:1])


def _recently_updated(as_of=None) -> list[Commitment]:
    """The UPDATES_SHOWN commitments updated last (known by `as_of`), newest first, then by title.

    Ordering every commitment by the date of its latest update means working that date out for all of them. The
    latest RECENT_WINDOW updates, read newest first from update_timeline_idx, name the candidates instead; the
    answer is the same whenever the last commitment kept was updated after the oldest of those updates (anything
    outside the window was updated on that day or before). When it is not, or when the window holds too few
    commitments, the query runs again over every commitment: the same rows, one query more, in rare cases only.
    """
    listing = (
        Commitment.objects.for_listing(as_of)
        .filter(last_update_on__isnull=False)
        .annotate(
            last_update_precision=_latest_update("happened_precision", as_of),
            last_update_is_report_date=_latest_update("date_is_report_date", as_of),
            last_update_note=_latest_update("note", as_of),
        )
        .order_by("-last_update_on", "title")
    )
    window = StatusUpdate.objects.order_by("-happened_on", "-id")
    if as_of:
        window = window.filter(known_by(as_of, "happened_on", "happened_precision"))
    candidates = listing.filter(pk__in=window.values("commitment_id")[:RECENT_WINDOW]).annotate(
        window_floor=Subquery(window.values("happened_on")[RECENT_WINDOW - 1 : RECENT_WINDOW])
    )
    rows = list(candidates[:UPDATES_SHOWN])
    floor = rows[0].window_floor if rows else None
    if floor is None or (len(rows) == UPDATES_SHOWN and rows[-1].last_update_on > floor):
        return rows  # the window held every update, or the answer lies wholly inside it
    return list(listing[:UPDATES_SHOWN])


@require_safe
@public_page
def overview(request):
    as_of, as_of_error = parse_as_of(request.GET.get("as_of"))
    now = as_of or today()
    counts = list(
        Commitment.objects.order_by()
        .as_of(as_of)
        .annotate(is_part=is_part_condition())
        .values_list("status_then", "kind", "is_part")
        .annotate(n=Count("id"))
    )
    statuses, kinds, total = tallies(counts)
    parts = sum(row[-1] for row in counts if row[2])
    dated = Commitment.objects.as_of(as_of).filter(deadline_then__isnull=False)
    upcoming = show_state_then(
        dated.filter(deadline_then__gte=now).order_by("deadline_then", "title")[:DEADLINES_SHOWN]
    )
    passed = show_state_then(dated.filter(deadline_then__lt=now).order_by("-deadline_then", "title")[:DEADLINES_SHOWN])
    recent = show_state_then(_recently_updated(as_of))
    needs_review = Commitment.objects.order_by().as_of(as_of).needing_review(now).count()
    context = {
        "as_of": as_of,
        "as_of_error": as_of_error,
        "today": now,
        "total": total,
        "parts": parts,
        "status_tallies": statuses,
        "kind_tallies": kinds,
        "upcoming": list(upcoming),
        "passed": list(passed),
        "recent": list(recent),
        "headlines": _headlines(as_of),
        "needs_review": needs_review,
        "review_after_days": settings.TRACKER_REVIEW_AFTER_DAYS,
    }
    return render(request, "tracker/overview.html", context)
