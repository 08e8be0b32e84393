from typing import cast
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Field
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from tracker.asof import parse_as_of
from tracker.caching import kept_for_this_version, public_page
from tracker.clock import today
from tracker.exports import EXPORT_CHUNK, absolute_urls, csv_response, in_batches, json_stream, lazily
from tracker.filters import CommitmentFilter, actor_choices
from tracker.htmx import is_partial, page_or_partial, push_url
from tracker.models import Commitment, Reading, each_state_then, show_state_then

PAGE_SIZE = 25


def _filtered(request) -> CommitmentFilter:
    """The filters of the request, over commitments as they stood on `?as_of=` (today when there is none)."""
    as_of, _ = parse_as_of(request.GET.get("as_of"))
    return CommitmentFilter(
        request.GET,
        queryset=Commitment.objects.for_listing(as_of),
        today=as_of or today(),
        actors=kept_for_this_version(request, "actors", actor_choices),
        as_of=as_of,
    )


def _facet_counts(request, commitments: CommitmentFilter) -> dict[str, dict[str, int]]:
    """The facet counts (and the total) of this set of filters on this day, kept for the data version: the sort and
    the page do not change them, so every page and order of one filtered list shares them."""
    filters = sorted((name, value) for name, value in commitments.active.items() if name != "sort")
    key = f"facets|{today()}|{commitments.today}|{filters}"
    return kept_for_this_version(request, key, commitments.facet_counts)


def _filter_fields(request, commitments: CommitmentFilter) -> str:
    """The filter form's fields as HTML (their menus list every value with its count: some 560 options), rendered
    once per data version, language and day for one query string: what the reader typed (every parameter but the
    page, even one the form rejects) is all the form shows besides the kept counts."""
    typed = sorted((name, value) for name, value in request.GET.items() if name != "page")
    key = f"filter-fields|{today()}|{commitments.today}|{typed}"
    html = kept_for_this_version(
        request, key, lambda: str(render_to_string("tracker/_filter_fields.html", {"fields": commitments.form}))
    )
    return mark_safe(html)  # noqa: S308 — the form's own rendering, escaped by its widgets and template


def _matching(commitments: CommitmentFilter):
    # The id last: rows that tie on the sort keys come in the same order on every page and in every download.
    return commitments.qs.order_by(*commitments.sort_order.ordering(), "pk")


# The choice fields a row shows by their label. Model.get_FOO_display() hashes every (lazy, translated) label of the
# field on each call, a fifth of the page's time for 25 rows; the labels are translated once per request instead.
ROW_LABELS = ("kind", "nature", "formality", "status")


def _with_labels(commitments: list[Commitment]) -> list[Commitment]:
    """Each row's `labels` (kind, nature, formality, status: as get_FOO_display() gives them, in the page's language)."""
    labels = {
        name: {value: str(label) for value, label in cast(Field, Commitment._meta.get_field(name)).flatchoices}
        for name in ROW_LABELS
    }
    for commitment in commitments:
        row_labels = {
            name: labels[name].get(getattr(commitment, name), getattr(commitment, name)) for name in ROW_LABELS
        }
        commitment.labels = row_labels  # type: ignore[attr-defined]  # for the template only, like show_state_then
    return commitments


@require_safe
@public_page
def commitment_index(request):
    commitments = _filtered(request)
    page_number = request.GET.get("page", "1")
    counts = _facet_counts(request, commitments)
    paginator = Paginator(_matching(commitments), PAGE_SIZE)
    paginator.count = counts["total"][""]  # counted with the facets, in the same pass
    page = paginator.get_page(page_number)
    page.object_list = _with_labels(show_state_then(page.object_list))
    commitments.label_choices_with_counts(counts)
    query = urlencode(commitments.active)
    context = {
        "filter": commitments,
        "filter_fields": _filter_fields(request, commitments),
        "page": page,
        "page_ignored": page_number != str(page.number),
        "today": commitments.today,
        "as_of": commitments.as_of,
        "as_of_error": parse_as_of(request.GET.get("as_of"))[1],
        "query": query,
        "query_prefix": f"{query}&" if query else "",
    }
    response = render(request, page_or_partial(request, "tracker/commitment_index.html", "browser"), context)
    if is_partial(request):
        push_url(
            response, request, urlencode({**commitments.active, **({"page": page.number} if page.number > 1 else {})})
        )
    return response


# -- downloads: the same filters, every matching row ----------------------------------------------------------

EXPORT_FIELDS = (
    "slug",
    "title",
    "title_ja",
    "kind",
    "nature",
    "pledged_by",
    "pledged_to",
    "status",
    "formality",
    "unit",
    "unit_label",
    "baseline_value",
    "baseline_is_approximate",
    "target_qualifier",
    "target_value",
    "target",
    "deadline",
    "deadline_precision",
    "deadline_in_words",
    "announced_on",
    "announced_precision",
    "last_update_on",
    "url",
)


def _export_row(page_url, commitment: Commitment) -> dict:
    return {
        "slug": commitment.slug,
        "title": commitment.title,
        "title_ja": commitment.title_ja,  # the editors' translation, as the title stood then; empty: not translated
        "kind": commitment.kind,
        "nature": commitment.nature,
        "pledged_by": commitment.pledged_by.name,
        "pledged_to": commitment.pledged_to.name if commitment.pledged_to else "",
        "status": commitment.status,
        "formality": commitment.formality,
        "unit": commitment.unit,
        "unit_label": commitment.unit_label,
        "baseline_value": _number(commitment.baseline_value),
        "baseline_is_approximate": commitment.baseline_is_approximate,
        "target_qualifier": commitment.target_qualifier,
        "target_value": _number(commitment.target_value),
        "target": commitment.target_display,
        "deadline": commitment.deadline.isoformat() if commitment.deadline else None,
        "deadline_precision": commitment.deadline_precision,
        "deadline_in_words": commitment.deadline_display,
        "announced_on": commitment.announced_on.isoformat() if commitment.announced_on else None,
        "announced_precision": commitment.announced_precision,
        "last_update_on": commitment.last_update_on.isoformat() if commitment.last_update_on else None,
        "url": page_url(commitment.slug),
    }


def _number(value):
    return None if value is None else format(value.normalize(), "f")


@require_safe
@public_page
def commitment_export_csv(request):
    commitments = _filtered(request)
    page_url = absolute_urls(request, "commitment_detail")
    rows = (
        _export_row(page_url, commitment)
        for commitment in each_state_then(lazily(lambda: in_batches(_matching(commitments))[1]))
    )
    return csv_response("commitments.csv", EXPORT_FIELDS, rows)


def _with_readings(commitments):
    """(commitment, its readings), one query for the readings of each batch of rows read. Django's prefetch_related
    does the same per chunk of an iterator, but kept every chunk's objects alive: 68 MB for 10,000 commitments."""
    batch: list[Commitment] = []
    for commitment in commitments:
        batch.append(commitment)
        if len(batch) == EXPORT_CHUNK:
            yield from _readings_of(batch)
            batch = []
    yield from _readings_of(batch)


def _readings_of(batch: list[Commitment]):
    if not batch:
        return
    found: dict[int, list[Reading]] = {}
    for reading in (
        Reading.objects.filter(commitment__in=[commitment.pk for commitment in batch])
        .select_related("party", "quote__source")
        .order_by("id")
    ):
        found.setdefault(reading.commitment_id, []).append(reading)
    for commitment in batch:
        yield commitment, found.get(commitment.pk, [])


@require_safe
@public_page
def commitment_export_json(request):
    commitments = _filtered(request)
    count, batches = in_batches(_matching(commitments))
    page_url = absolute_urls(request, "commitment_detail")
    rows = (
        {
            **_export_row(page_url, commitment),
            "legal_basis": commitment.instrument,
            "lapses_on": commitment.lapses_on.isoformat() if commitment.lapses_on else None,
            "readings": [
                {
                    "party": reading.party.name,
                    "country": reading.party.country,
                    "side": reading.side,
                    "reading": reading.description,
                    "quote": reading.quote.text,  # verbatim, in its source's language
                    "quote_language": reading.quote.source.language,
                    "quote_translation": reading.quote.translation,  # the editors', into the other language
                }
                for reading in readings
            ],
        }
        for commitment, readings in _with_readings(each_state_then(batches))
    )
    head = {"filters": commitments.active, "ignored": commitments.ignored, "count": count}
    return json_stream(head, "results", rows)
