import datetime

from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from tracker.filters import CommitmentFilter
from tracker.models import Commitment, CommitmentLink, Formality, Quote, Source, Status, StatusUpdate


def _today() -> datetime.date:
    return timezone.localdate()


def _is_partial(request) -> bool:
    """htmx asked for a fragment. A history restore wants the whole page, so it never gets one."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _get_commitment_or_404(slug: str) -> Commitment:
    try:
        return Commitment.objects.for_detail().get(slug=slug)
    except Commitment.DoesNotExist:
        raise Http404("No commitment with that name.")


def _get_source_or_404(source_id: int) -> Source:
    try:
        return Source.objects.get(pk=source_id)
    except Source.DoesNotExist:
        raise Http404("No source with that number.")


@require_safe
@vary_on_headers("HX-Request")
def home(request):
    commitments = CommitmentFilter(request.GET, queryset=Commitment.objects.for_listing().order_by(F("deadline").asc(nulls_last=True), "title"))
    rows = list(commitments.qs)
    tallies = {row["status"]: row["n"] for row in Commitment.objects.values("status").annotate(n=Count("id"))}
    context = {
        "filter": commitments,
        "commitments": rows,
        "today": _today(),
        "status_tallies": [(Status(value), tallies.get(value, 0)) for value in Status.values],
    }
    template = "tracker/home.html#results" if _is_partial(request) else "tracker/home.html"
    return render(request, template, context)


@require_safe
def commitment_detail(request, slug):
    commitment = _get_commitment_or_404(slug)
    quotes = commitment.quotes.select_related("source", "speaker").order_by("said_on", "id")
    updates = commitment.updates.select_related("source").order_by("happened_on", "id")
    links = CommitmentLink.objects.select_related("from_commitment", "to_commitment").filter(
        Q(from_commitment=commitment) | Q(to_commitment=commitment)
    )
    today = _today()
    context = {
        "commitment": commitment,
        "quotes": list(quotes),
        "updates": list(updates),
        "links": list(links.order_by("relation", "id")),
        "today": today,
        "days_left": commitment.days_to_deadline(today),
    }
    return render(request, "tracker/commitment_detail.html", context)


@require_safe
def source_detail(request, source_id):
    source = _get_source_or_404(source_id)
    quotes = source.quotes.select_related("speaker").prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.only("slug", "title"))
    )
    return render(request, "tracker/source_detail.html", {"source": source, "quotes": list(quotes)})


@require_safe
def statuses(request):
    return render(request, "tracker/statuses.html", {"statuses": list(Status), "formalities": list(Formality)})


@require_safe
def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)
