from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tracker.models import Commitment, CommitmentLink
from tracker.views.common import today


def _get_commitment_or_404(slug: str) -> Commitment:
    try:
        return Commitment.objects.for_detail().get(slug=slug)
    except Commitment.DoesNotExist:
        raise Http404("No commitment with that name.")


@require_safe
def commitment_detail(request, slug):
    commitment = _get_commitment_or_404(slug)
    quotes = commitment.quotes.select_related("source", "speaker").order_by("said_on", "id")
    updates = commitment.updates.select_related("source").order_by("happened_on", "id")
    links = CommitmentLink.objects.select_related("from_commitment", "to_commitment").filter(
        Q(from_commitment=commitment) | Q(to_commitment=commitment)
    )
    now = today()
    context = {
        "commitment": commitment,
        "quotes": list(quotes),
        "updates": list(updates),
        "links": list(links.order_by("relation", "id")),
        "today": now,
        "days_left": commitment.days_to_deadline(now),
    }
    return render(request, "tracker/commitment_detail.html", context)
