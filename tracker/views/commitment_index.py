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
from tracker.models import STATE_COLUMNS, Actor, Commitment, Reading, show_state_then

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


# What a download reads of each commitment: plain values (a dict per row, no model instances), the state on the day
# asked for from as_of's `<column>_then`.
_EXPORT_FIELDS_READ = (
    "pk",
    "slug",
    "kind",
    "nature",
    "unit",
    "unit_label",
    "baseline_value",
    "baseline_is_approximate",
    "target_qualifier",
    "announced_on",
    "announced_precision",
    "last_update_on",
    "lapses_on",
)
_EXPORT_VALUES = (
    *_EXPORT_FIELDS_READ,
    "pledged_by__name",
    "pledged_to__name",
    *(f"{column}_then" for column in STATE_COLUMNS),
)


def _export_values(commitments: CommitmentFilter):
    return _matching(commitments).values(*_EXPORT_VALUES)


def _export_rows(request, values):
    """The download's rows from `_export_values`. The words (the target, the deadline) are the model's own
    properties, computed once per distinct value in this download rather than once per row: many rows share a
    deadline or a target, and the language does not change within one request."""
    page_url = absolute_urls(request, "commitment_detail")
    targets: dict[tuple, str] = {}
    deadlines: dict[tuple, str] = {}
    scratch = Commitment()  # one instance whose fields are set in turn: building one per value cost a fifth
    for row in values:
        target_key = (
            row["unit"],
            row["unit_label"],
            row["target_qualifier"],
            row["target_value_then"],
            row["baseline_value"],
            row["baseline_is_approximate"],
        )
        if target_key not in targets:
            (
                scratch.unit,
                scratch.unit_label,
                scratch.target_qualifier,
                scratch.target_value,
                scratch.baseline_value,
                scratch.baseline_is_approximate,
            ) = target_key
            targets[target_key] = scratch.target_display
        deadline_key = (row["deadline_then"], row["deadline_precision_then"])
        if deadline_key not in deadlines:
            scratch.deadline, scratch.deadline_precision = deadline_key
            deadlines[deadline_key] = scratch.deadline_display
        yield row, _export_row(page_url, row, targets[target_key], deadlines[deadline_key])


def export_values(commitment: Commitment) -> dict:
    """What `_EXPORT_VALUES` reads, from a commitment already read (the API's pages, after show_state_then)."""
    return {
        **{name: getattr(commitment, name) for name in _EXPORT_FIELDS_READ},
        "pledged_by__name": commitment.pledged_by.name,
        "pledged_to__name": commitment.pledged_to.name if commitment.pledged_to else None,
        **{f"{column}_then": getattr(commitment, column) for column in STATE_COLUMNS},
    }


def _export_row(page_url, row: dict, target: str, deadline_in_words: str) -> dict:
    announced_on, last_update_on, deadline = row["announced_on"], row["last_update_on"], row["deadline_then"]
    return {
        "slug": row["slug"],
        "title": row["title_then"],
        "title_ja": row["title_ja_then"],  # the editors' translation, as the title stood then; empty: not translated
        "kind": row["kind"],
        "nature": row["nature"],
        "pledged_by": row["pledged_by__name"],
        "pledged_to": row["pledged_to__name"] or "",
        "status": row["status_then"],
        "formality": row["formality_then"],
        "unit": row["unit"],
        "unit_label": row["unit_label"],
        "baseline_value": _number(row["baseline_value"]),
        "baseline_is_approximate": row["baseline_is_approximate"],
        "target_qualifier": row["target_qualifier"],
        "target_value": _number(row["target_value_then"]),
        "target": target,
        "deadline": deadline.isoformat() if deadline else None,
        "deadline_precision": row["deadline_precision_then"],
        "deadline_in_words": deadline_in_words,
        "announced_on": announced_on.isoformat() if announced_on else None,
        "announced_precision": row["announced_precision"],
        "last_update_on": last_update_on.isoformat() if last_update_on else None,
        "url": page_url(row["slug"]),
    }


def _number(value):
    return None if value is None else format(value.normalize(), "f")


@require_safe
@public_page
def commitment_export_csv(request):
    commitments = _filtered(request)
    values = lazily(lambda: in_batches(_export_values(commitments))[1])
    rows = (row for _, row in _export_rows(request, values))
    return csv_response("commitments.csv", EXPORT_FIELDS, rows)


def _with_readings(rows):
    """(values, row, its readings), one query for the readings of each batch of rows read. Django's prefetch_related
    does the same per chunk of an iterator, but kept every chunk's objects alive: 68 MB for 10,000 commitments."""
    batch: list[tuple[dict, dict]] = []
    for pair in rows:
        batch.append(pair)
        if len(batch) == EXPORT_CHUNK:
            yield from _readings_of(batch)
            batch = []
    yield from _readings_of(batch)


def _readings_of(batch: list[tuple[dict, dict]]):
    if not batch:
        return
    found: dict[int, list[dict]] = {}
    readings = (
        Reading.objects.filter(commitment__in=[values["pk"] for values, _ in batch])
        .order_by("id")
        .values(
            "commitment_id",
            "party__name",
            "party__country",
            "description",
            "quote__text",
            "quote__source__language",
            "quote__translation",
        )
    )
    for reading in readings:
        party = Reading(party=Actor(name=reading["party__name"], country=reading["party__country"]))
        found.setdefault(reading["commitment_id"], []).append(
            {
                "party": reading["party__name"],
                "country": reading["party__country"],
                "side": party.side,
                "reading": reading["description"],
                "quote": reading["quote__text"],  # verbatim, in its source's language
                "quote_language": reading["quote__source__language"],
                "quote_translation": reading["quote__translation"],  # the editors', into the other language
            }
        )
    for values, row in batch:
        yield values, row, found.get(values["pk"], [])


@require_safe
@public_page
def commitment_export_json(request):
    commitments = _filtered(request)
    count, batches = in_batches(_export_values(commitments))
    rows = (
        {
            **row,
            "legal_basis": values["instrument_then"],
            "lapses_on": values["lapses_on"].isoformat() if values["lapses_on"] else None,
            "readings": readings,
        }
        for values, row, readings in _with_readings(_export_rows(request, batches))
    )
    head = {"filters": commitments.active, "ignored": commitments.ignored, "count": count}
    return json_stream(head, "results", rows)
