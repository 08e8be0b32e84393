from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from tracker import charts
from tracker.asof import is_known_by, parse_as_of, replay
from tracker.caching import public_page
from tracker.clock import today
from tracker.models import Commitment, CommitmentLink, RelationKind

HISTORY_SHOWN = 30
QUOTES_PER_PAGE = 25

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
    return get_object_or_404(Commitment.objects.for_detail(), slug=slug)


def _on_record(commitment, updates, day) -> bool:
    if commitment.announced_on:
        return is_known_by(commitment.announced_on, commitment.announced_precision, day)
    return not updates or is_known_by(updates[0].happened_on, updates[0].happened_precision, day)


def _known_by(quote, day) -> bool:
    """Said by then, or (undated) in a source published by then."""
    if quote.said_on:
        return is_known_by(quote.said_on, quote.said_precision, day)
    return is_known_by(quote.source.published_on, quote.source.published_precision, day)


@require_safe
@public_page
def commitment_detail(request, slug):
    commitment = _get_commitment_or_404(slug)
    quotes = commitment.quotes.select_related("source", "speaker").order_by("said_on", "id")
    # The timeline never needs a source's full text (only the supporting quotes are checked against it).
    updates = list(commitment.updates.select_related("source", "quote__speaker").defer("source__text").chronological())
    links = CommitmentLink.objects.select_related("from_commitment", "to_commitment").filter(
        Q(from_commitment=commitment) | Q(to_commitment=commitment)
    )
    quotes = list(quotes)
    as_of, as_of_error = parse_as_of(request.GET.get("as_of"))
    on_record = True
    if as_of:
        on_record = _on_record(commitment, updates, as_of)
        updates = replay(commitment, updates, as_of)
        quotes = [quote for quote in quotes if _known_by(quote, as_of)]
    series = charts.measure_series(commitment, updates)
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
        "related": related_commitments(commitment, links),
        "today": as_of or today(),
        "as_of": as_of,
        "as_of_error": as_of_error,
        "on_record": on_record,
        "series": series,
        "chart": charts.measure_figure("progress-chart", series) if series else "",
    }
    return render(request, "tracker/commitment_detail.html", context)
