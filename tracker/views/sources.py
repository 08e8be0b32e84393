from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tracker.models import Commitment, Source


def _get_source_or_404(source_id: int) -> Source:
    try:
        return Source.objects.get(pk=source_id)
    except Source.DoesNotExist:
        raise Http404("No source with that number.")


@require_safe
def source_detail(request, source_id):
    source = _get_source_or_404(source_id)
    quotes = source.quotes.select_related("speaker").prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.only("slug", "title"))
    )
    return render(request, "tracker/source_detail.html", {"source": source, "quotes": list(quotes)})


@require_safe
def source_list(request):
    raise Http404("Not built yet.")


@require_safe
def quote_context(request, quote_id):
    raise Http404("Not built yet.")
