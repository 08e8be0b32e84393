from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tracker import charts
from tracker.models import Commitment, CommitmentLink, RelationKind
from tracker.views.common import today

# RelationKind labels read a link from its first commitment ("X answers Y"); these read it from the second
# ("Y is answered by X").
INVERSE_RELATION = {
    RelationKind.ANSWERS: "is answered by",
    RelationKind.COUNTERPART: RelationKind.COUNTERPART.label,
    RelationKind.PART_OF: "includes",
    RelationKind.FOLLOWS_UP: "is followed up by",
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
            related.append(Related(RelationKind(link.relation).label, link.to_commitment))
        else:
            related.append(Related(INVERSE_RELATION[RelationKind(link.relation)], link.from_commitment))
    return sorted(related, key=lambda item: (item.relation, item.commitment.title))


def _get_commitment_or_404(slug: str) -> Commitment:
    try:
        return Commitment.objects.for_detail().get(slug=slug)
    except Commitment.DoesNotExist:
        raise Http404("No commitment with that name.")


@require_safe
def commitment_detail(request, slug):
    commitment = _get_commitment_or_404(slug)
    quotes = commitment.quotes.select_related("source", "speaker").order_by("said_on", "id")
    # The timeline never needs a source's full text (only the supporting quotes are checked against it).
    updates = list(commitment.updates.select_related("source", "quote__speaker").defer("source__text").chronological())
    links = CommitmentLink.objects.select_related("from_commitment", "to_commitment").filter(
        Q(from_commitment=commitment) | Q(to_commitment=commitment)
    )
    series = charts.measure_series(commitment, updates)
    context = {
        "commitment": commitment,
        "quotes": list(quotes),
        "updates": updates,
        "related": related_commitments(commitment, links),
        "today": today(),
        "series": series,
        "chart": charts.measure_figure("progress-chart", series) if series else "",
    }
    return render(request, "tracker/commitment_detail.html", context)
