""" "Cite this" downloads: CSL-JSON and BibTeX for a commitment (as of a day) and for a source (tracker/citations.py)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from tracker.asof import parse_as_of
from tracker.caching import public_page
from tracker.citations import BIBTEX_CONTENT_TYPE, CSL_CONTENT_TYPE, Citation, commitment_citation, source_citation
from tracker.clock import today
from tracker.exports import json_response
from tracker.models import Commitment, Source, show_state_then


def _commitment(request, slug) -> Citation:
    as_of, _error = parse_as_of(request.GET.get("as_of"))  # a day not understood: cite the state of today
    if as_of is None:
        commitment = get_object_or_404(Commitment, slug=slug)
    else:
        found = show_state_then(Commitment.objects.filter(slug=slug).as_of(as_of))
        if not found:
            raise Http404("This commitment was not on record on that day.")
        commitment = found[0]
    return commitment_citation(request, commitment, as_of or today(), today())


def _source(request, source_id) -> Citation:
    return source_citation(request, get_object_or_404(Source.objects.defer("text"), pk=source_id), today())


def _csl(citation: Citation, filename: str) -> HttpResponse:
    response = json_response([citation.csl])  # type: ignore[arg-type]  # CSL-JSON is a list of items
    response["Content-Type"] = CSL_CONTENT_TYPE
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


def _bibtex(citation: Citation, filename: str) -> HttpResponse:
    response = HttpResponse(citation.bibtex, content_type=BIBTEX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.bib"'
    return response


@require_safe
@public_page
def commitment_csl(request, slug):
    return _csl(_commitment(request, slug), slug)


@require_safe
@public_page
def commitment_bibtex(request, slug):
    return _bibtex(_commitment(request, slug), slug)


@require_safe
@public_page
def source_csl(request, source_id):
    return _csl(_source(request, source_id), f"source-{source_id}")


@require_safe
@public_page
def source_bibtex(request, source_id):
    return _bibtex(_source(request, source_id), f"source-{source_id}")
