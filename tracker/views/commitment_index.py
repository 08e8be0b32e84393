from django.db.models import Count, F
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from tracker.filters import CommitmentFilter
from tracker.models import Commitment, Status
from tracker.views.common import page_or_partial, today


@require_safe
@vary_on_headers("HX-Request")
def commitment_index(request):
    commitments = CommitmentFilter(request.GET, queryset=Commitment.objects.for_listing().order_by(F("deadline").asc(nulls_last=True), "title"))
    rows = list(commitments.qs)
    tallies = {row["status"]: row["n"] for row in Commitment.objects.values("status").annotate(n=Count("id"))}
    context = {
        "filter": commitments,
        "commitments": rows,
        "today": today(),
        "status_tallies": [(Status(value), tallies.get(value, 0)) for value in Status.values],
    }
    return render(request, page_or_partial(request, "tracker/commitment_index.html", "results"), context)
