from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tracker import charts
from tracker.models import Commitment, CommitmentKind, Status, StatusUpdate
from tracker.views.common import today

# The two figures the overview leads with, found by slug; the page still renders when either is missing.
HEADLINES = (
    ("defence-2pct-gdp", "Defence spending"),
    ("investment-550bn", "Investment in the United States"),
)
DEADLINES_SHOWN = 5
UPDATES_SHOWN = 8


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
    """Commitments by status and by kind (every choice, zeros included), and the total, from one grouped query."""
    by_status, by_kind = {}, {}
    for status, kind, count in rows:
        by_status[status] = by_status.get(status, 0) + count
        by_kind[kind] = by_kind.get(kind, 0) + count
    statuses = [Tally(status.value, status.label, by_status.get(status.value, 0), status.css_class) for status in Status]
    kinds = [Tally(kind.value, kind.label, by_kind.get(kind.value, 0)) for kind in CommitmentKind]
    return statuses, kinds, sum(by_status.values())


def _headlines() -> list[Headline]:
    measurements = StatusUpdate.objects.filter(measured_value__isnull=False)
    found = {
        commitment.slug: commitment
        for commitment in Commitment.objects.filter(slug__in=[slug for slug, _ in HEADLINES]).prefetch_related(
            Prefetch("updates", queryset=measurements, to_attr="measurements")
        )
    }
    headlines = []
    for slug, heading in HEADLINES:
        commitment = found.get(slug)
        series = charts.measure_series(commitment, commitment.measurements, latest_only=True) if commitment else None
        chart = charts.measure_figure(f"chart-{slug}", series) if series else ""
        headlines.append(Headline(heading, slug, commitment, series, chart))
    return headlines


def _latest_update(field: str) -> Subquery:
    latest = StatusUpdate.objects.filter(commitment=OuterRef("pk")).order_by("-happened_on", "-id")
    return Subquery(latest.values(field)[:1])


@require_safe
def overview(request):
    now = today()
    counts = Commitment.objects.order_by().values_list("status", "kind").annotate(n=Count("id"))
    statuses, kinds, total = tallies(counts)
    dated = Commitment.objects.filter(deadline__isnull=False)
    upcoming = dated.filter(deadline__gte=now).order_by("deadline", "title")[:DEADLINES_SHOWN]
    passed = dated.filter(deadline__lt=now).order_by("-deadline", "title")[:DEADLINES_SHOWN]
    recent = (
        Commitment.objects.for_listing()
        .filter(last_update_on__isnull=False)
        .annotate(
            last_update_precision=_latest_update("happened_precision"),
            last_update_is_report_date=_latest_update("date_is_report_date"),
            last_update_note=_latest_update("note"),
        )
        .order_by("-last_update_on", "title")[:UPDATES_SHOWN]
    )
    context = {
        "today": now,
        "total": total,
        "status_tallies": statuses,
        "kind_tallies": kinds,
        "upcoming": list(upcoming),
        "passed": list(passed),
        "recent": list(recent),
        "headlines": _headlines(),
    }
    return render(request, "tracker/overview.html", context)
