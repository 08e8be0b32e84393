"""The sources: the list, one source with its stored text highlighted, and a quote shown in its paragraph(s)."""

from dataclasses import replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from tracker.caching import public_page
from tracker.exports import absolute_urls, csv_response, in_batches, json_stream, lazily
from tracker.filters import SourceFilter
from tracker.htmx import is_partial, page_or_partial
from tracker.models import Commitment, Quote, Source
from tracker.text import NormalisedText, Span, highlight_paragraphs
from tracker.translated import page_language, translated


def _get_source_or_404(source_id: int) -> Source:
    return get_object_or_404(Source, pk=source_id)


def _get_quote_or_404(quote_id: int) -> Quote:
    return get_object_or_404(Quote.objects.select_related("source", "speaker", "according_to"), pk=quote_id)


PAGE_SIZE = 50


def _count_of(queryset, column: str, count: Count):
    """A per-source count as a subquery: unlike a join with GROUP BY it leaves the list's own count() a plain count
    of sources, and is computed only for the rows read."""
    counted = queryset.order_by().values(column).annotate(n=count).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sources_with_counts(request):
    """The sources the request's filters keep, oldest first, with how many quotes and commitments each supports."""
    sources = SourceFilter(request.GET, queryset=Source.objects.defer("text", "date_note"))
    queryset = sources.qs.annotate(
        quote_count=_count_of(Quote.objects.filter(source=OuterRef("pk")), "source", Count("*")),
        commitment_count=_count_of(
            Quote.commitments.through.objects.filter(quote__source=OuterRef("pk")),
            "quote__source",
            Count("commitment", distinct=True),
        ),
    ).order_by(F("published_on").asc(nulls_last=True), "id")
    return sources, queryset


@require_safe
@public_page
def source_list(request):
    sources, queryset = _sources_with_counts(request)
    page_number = request.GET.get("page", "1")
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    query = urlencode(sources.active)
    context = {
        "filter": sources,
        "page": page,
        "page_ignored": page_number != str(page.number),
        "query": query,
        "query_prefix": f"{query}&" if query else "",
    }
    return render(request, "tracker/source_list.html", context)


SOURCE_EXPORT_FIELDS = (
    "id",
    "title",
    "description",
    "kind",
    "language",
    "publisher",
    "author",
    "url",
    "published_on",
    "published_precision",
    "text_sha256",
    "seed_file",
    "quote_count",
    "commitment_count",
    "page",
)


def _source_rows(request, sources):
    page_url = absolute_urls(request, "source_detail")
    for source in sources:
        yield {
            "id": source.pk,
            "title": source.title,
            "description": source.description,
            "kind": source.kind,
            "language": source.language,
            "publisher": source.publisher,
            "author": source.author,
            "url": source.url,
            "published_on": source.published_on.isoformat() if source.published_on else None,
            "published_precision": source.published_precision,
            "text_sha256": source.text_sha256,
            "seed_file": source.seed_file,
            "quote_count": source.quote_count,
            "commitment_count": source.commitment_count,
            "page": page_url(source.pk),
        }


@require_safe
@public_page
def source_export_csv(request):
    sources = lazily(lambda: in_batches(_sources_with_counts(request)[1])[1])
    return csv_response("sources.csv", SOURCE_EXPORT_FIELDS, _source_rows(request, sources))


@require_safe
@public_page
def source_export_json(request):
    count, sources = in_batches(_sources_with_counts(request)[1])
    return json_stream({"count": count}, "results", _source_rows(request, sources))


def _quote_span(quote: Quote, located: tuple[int, int]) -> Span:
    """The quote's words link to its first commitment; its other commitments follow as small links."""
    commitments = list(quote.commitments.all())
    if not commitments:
        return Span(*located, quote.pk)
    first, others = commitments[0], commitments[1:]
    span = Span(
        *located,
        quote.pk,
        href=first.get_absolute_url(),
        title=gettext("Supports: %(titles)s")
        % {"titles": gettext("; ").join(translated(commitment, "title").text for commitment in commitments)},
    )
    if not others:
        return span
    links = format_html_join(
        ", ", '<a href="{}">{}</a>', ((c.get_absolute_url(), translated(c, "title").text) for c in others)
    )
    # The sentence is ours (escaped all the same); the links were escaped by format_html_join. In the page's language,
    # inside a source's text that may be in the other.
    also = mark_safe(escape(gettext("(also supports %(links)s)")) % {"links": links})  # noqa: S308
    return replace(span, after=format_html('<span class="also" lang="{}">{}</span>', page_language(), also))


@require_safe
@public_page
def source_detail(request, source_id):
    source = _get_source_or_404(source_id)
    quotes = list(
        source.quotes.select_related("speaker", "according_to").prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.only("slug", "title", "title_ja").order_by("title"))
        )
    )
    text = NormalisedText(source.text)
    spans, missing = [], []
    for quote in quotes:
        located = text.locate(quote.text)
        quote.found = located is not None
        if located:
            spans.append(_quote_span(quote, located))
        else:
            missing.append(quote)
    commitments = {}
    for quote in quotes:
        for commitment in quote.commitments.all():
            commitments.setdefault(commitment.pk, commitment)
    context = {
        "source": source,
        "quotes": quotes,
        "missing": missing,
        "paragraphs": highlight_paragraphs(source.text, spans),
        "commitments": sorted(commitments.values(), key=lambda commitment: commitment.title),
    }
    return render(request, "tracker/source_detail.html", context)


@require_safe
@public_page
def quote_context(request, quote_id):
    quote = _get_quote_or_404(quote_id)
    located = NormalisedText(quote.source.text).locate(quote.text)
    paragraphs = []
    if located:
        paragraphs = highlight_paragraphs(quote.source.text, [Span(*located, quote.pk)], only=located, anchors=False)
    context = {"quote": quote, "source": quote.source, "paragraphs": paragraphs}
    if not is_partial(request):
        # The whole page (no JavaScript, or a link followed): also the way back to what the quote supports.
        context["commitments"] = list(quote.commitments.only("slug", "title", "title_ja").order_by("title"))
    return render(request, page_or_partial(request, "tracker/quote_context.html", "context"), context)
