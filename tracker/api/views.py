"""The read API's endpoints (see tracker/api/schema.py for what each returns)."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tracker.api.limits import api_view, json_error
from tracker.api.schema import openapi_schema
from tracker.exports import absolute_urls, json_response
from tracker.filters import TimelineFilterForm
from tracker.models import Commitment, Quote, Reading, Source, StatusUpdate, show_state_then
from tracker.timeline import events_page
from tracker.views.changes import _moved, _with_events
from tracker.views.commitment_index import PAGE_SIZE, _export_row, _filtered, _matching, export_values
from tracker.views.sources import _source_rows, _sources_with_counts
from tracker.views.timeline import _page_number, _parties, _requested_commitment

TIMELINE_PAGE_SIZE = 30
LARGEST_ID = 2**31 - 1  # an id beyond any row (and beyond what every database's integer takes): not found


def _page(request) -> tuple[int, list[str]]:
    raw = request.GET.get("page", "1")
    number = _page_number(raw)
    return (number, []) if number else (1, ["page"])


def _paged(request, items, size: int, extra_ignored: list[str]):
    """One page of `items` and the envelope every list answers with: the count, the page, links to its neighbours."""
    number, ignored = _page(request)
    paginator = Paginator(items, size)
    page = paginator.get_page(number)
    if page.number != number:
        ignored = ["page"]

    def link(to: int | None) -> str | None:
        if to is None:
            return None
        query = request.GET.copy()
        query["page"] = str(to)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    envelope = {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number() if page.has_next() else None),
        "previous": link(page.previous_page_number() if page.has_previous() else None),
        "ignored": [*extra_ignored, *ignored],
    }
    return page, envelope


def _date(day) -> str | None:
    return day.isoformat() if day else None


def _source_ref(request, source: Source | None) -> dict | None:
    if source is None:
        return None
    return {
        "id": source.pk,
        "title": source.display_title,
        "url": request.build_absolute_uri(reverse("api_source", args=[source.pk])),
    }


def _event(request, update: StatusUpdate) -> dict:
    measurement = None
    if update.measured_value is not None:
        measurement = {
            "value": format(update.measured_value.normalize(), "f"),
            "unit": update.measured_unit or update.commitment.unit,
            "approximate": update.measured_is_approximate,
            "period_start": _date(update.measured_as_of),
            "period_precision": update.measured_precision,
            "basis": update.measured_basis,
            "basis_changed": update.basis_changed,
            "money_stage": update.money_stage,
            "in_words": update.measurement_display,
        }
    return {
        "id": update.pk,
        "commitment": update.commitment.slug,
        "date": update.happened_on.isoformat(),
        "precision": update.happened_precision,
        "date_is_report_date": update.date_is_report_date,
        "note": update.note,
        "changes": [{"what": what, "old": old, "new": new} for what, old, new in update.changes()],
        "measurement": measurement,
        "quote": update.quote.text if update.quote else None,
        "source": _source_ref(request, update.source),
        "url": request.build_absolute_uri(reverse("update_detail", args=[update.pk])),
    }


def _commitment_row(request, commitment: Commitment) -> dict:
    return {
        **_export_row(
            absolute_urls(request, "commitment_detail"),
            export_values(commitment),
            commitment.target_display,
            commitment.deadline_display,
        ),
        "summary": commitment.summary,
        "legal_basis": commitment.instrument,
        "lapses_on": _date(commitment.lapses_on),
        "api_url": request.build_absolute_uri(reverse("api_commitment", args=[commitment.slug])),
    }


@api_view
def commitments(request):
    filters = _filtered(request)
    page, envelope = _paged(request, _matching(filters), PAGE_SIZE, filters.ignored)
    rows = [_commitment_row(request, commitment) for commitment in show_state_then(page.object_list)]
    return json_response({"filters": filters.active, **envelope, "results": rows})


@api_view
def commitment(request, slug):
    found = Commitment.objects.select_related("pledged_by", "pledged_to").with_last_update(None).filter(slug=slug)
    item = next(iter(found), None)
    if item is None:
        return json_error(404, _("No commitment has this slug."))
    updates = item.updates.select_related("source", "quote").defer("source__text").chronological()
    quotes = item.quotes.select_related("source", "speaker", "according_to").defer("source__text")
    readings = Reading.objects.filter(commitment=item).select_related("party", "quote").order_by("id")
    events = []
    for update in updates:
        update.commitment = item
        events.append(_event(request, update))
    return json_response(
        {
            **_commitment_row(request, item),
            "events": events,
            "quotes": [_quote(request, quote) for quote in quotes],
            "readings": [
                {
                    "party": reading.party.name,
                    "country": reading.party.country,
                    "side": reading.side,
                    "reading": reading.description,
                    "quote": reading.quote.text,
                }
                for reading in readings
            ],
        }
    )


def _quote(request, quote: Quote) -> dict:
    return {
        "id": quote.pk,
        "text": quote.text,
        "speaker": quote.speaker.name if quote.speaker else None,
        "according_to": quote.according_to.name if quote.according_to else None,
        "said_on": _date(quote.said_on),
        "said_precision": quote.said_precision,
        "source": _source_ref(request, quote.source),
        "context": request.build_absolute_uri(reverse("quote_context", args=[quote.pk])),
    }


@api_view
def sources(request):
    # The downloads' rows (tracker/views/sources.py), a page of them: sources are counted in hundreds, not millions.
    _, queryset = _sources_with_counts(request)
    page, envelope = _paged(request, queryset, PAGE_SIZE, [])
    rows = [
        {**row, "api_url": request.build_absolute_uri(reverse("api_source", args=[row["id"]]))}
        for row in _source_rows(request, page.object_list)
    ]
    return json_response({**envelope, "results": rows})


@api_view
def source(request, source_id: str):
    number = int(source_id) if source_id.isascii() and source_id.isdigit() and len(source_id) <= 10 else 0
    item = Source.objects.filter(pk=number).first() if 0 < number <= LARGEST_ID else None
    if item is None:
        return json_error(404, _("No source has this id."))
    quotes = item.quotes.select_related("speaker", "according_to").prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.only("slug", "title").order_by("title"))
    )
    return json_response(
        {
            "id": item.pk,
            "title": item.title,
            "description": item.description,
            "kind": item.kind,
            "publisher": item.publisher,
            "author": item.author,
            "url": item.url,
            "published_on": _date(item.published_on),
            "published_precision": item.published_precision,
            "text_sha256": item.text_sha256,
            "text": item.text,
            "page": request.build_absolute_uri(item.get_absolute_url()),
            "quotes": [
                {**_quote(request, quote), "commitments": [c.slug for c in quote.commitments.all()]} for quote in quotes
            ],
        }
    )


@api_view
def timeline(request):
    form = TimelineFilterForm(
        request.GET, parties=_parties(), commitments=_requested_commitment(request.GET.get("commitment"))
    )
    filters = form.active
    number, ignored = _page(request)
    events, has_next = events_page(filters, number, TIMELINE_PAGE_SIZE)
    rows = []
    for event in events:
        if event.update is not None:
            rows.append({"type": "update", "date": event.day.isoformat(), **_event(request, event.update)})
        else:
            assert event.source is not None
            rows.append(
                {
                    "type": "source",
                    "date": event.day.isoformat(),
                    "precision": event.source.published_precision,
                    "source": _source_ref(request, event.source),
                }
            )
    query = request.GET.copy()
    query["page"] = str(number + 1)
    return json_response(
        {
            "filters": filters,
            "ignored": [*form.errors, *ignored],
            "page": number,
            "next": request.build_absolute_uri(f"{request.path}?{query.urlencode()}") if has_next else None,
            "results": rows,
        }
    )


@api_view
def changes(request):
    start, end, notes, filters = _moved(request)
    page, envelope = _paged(request, filters.qs.order_by(*filters.sort_order.ordering()), PAGE_SIZE, filters.ignored)
    moved = _with_events(show_state_then(page.object_list), start, end)
    rows = [
        {
            "slug": item.slug,
            "title": item.title,
            "url": request.build_absolute_uri(item.get_absolute_url()),
            "new_on_record": not item.was_on_record,
            "changes": [{"what": c.what, "old": c.old, "new": c.new} for c in item.changes],
            "events": [_event(request, event) for event in item.events],
        }
        for item in moved
    ]
    return json_response(
        {"from": start.isoformat(), "to": end.isoformat(), "notes": notes, "filters": filters.active, **envelope,
         "results": rows}
    )  # fmt: skip


@api_view
def schema(request):
    return json_response(openapi_schema(request.build_absolute_uri("/api/v1")))


@api_view
def docs(request):
    spec = openapi_schema(request.build_absolute_uri("/api/v1"))
    return render(request, "tracker/api_docs.html", {"spec": spec, "operations": _operations(spec)})


def _operations(spec: dict) -> list[dict]:
    """Each operation of the schema with its path, for the documentation page."""
    return [{"path": path, **operation["get"]} for path, operation in spec["paths"].items()]


@api_view
def not_found(request):
    return json_error(
        404, _("No such API endpoint: see %(docs)s") % {"docs": request.build_absolute_uri(reverse("api_docs"))}
    )
