"""The OpenAPI 3.1 description of the read API (served at /api/v1/schema/, rendered at /api/v1/docs/).

The filters' parameters are read from the index's filter set (tracker.filters.CommitmentFilter) and the timeline's
form, so the schema lists exactly the values the views accept; the response shapes are written here once.
"""

import django_filters
from django.conf import settings

from tracker.filters import CommitmentFilter
from tracker.models import CommitmentKind
from tracker.timeline import EVENT_TYPES

SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 100}
DAY = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": ["string", "null"]}
MAYBE_DAY = {"type": ["string", "null"], "format": "date"}
STRINGS = {"type": "array", "items": TEXT}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: dict, optional: dict | None = None) -> dict:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _filter_parameters(leave_out: tuple[str, ...] = ()) -> list[dict]:
    parameters = []
    for name, field in CommitmentFilter.base_filters.items():
        if name in leave_out:
            continue
        label = str(field.label or name)
        choices = field.extra.get("choices")
        schema: dict
        if isinstance(field, django_filters.ChoiceFilter) and choices:
            schema = {"type": "string", "enum": [value for value, _label in choices]}
        elif name == "as_of":
            schema = DAY
        elif name == "q":
            schema = {"type": "string", "maxLength": 200}
        else:
            schema = SLUG  # who pledged / to whom: an actor's slug
        parameters.append(_query(name, schema, f"{label} (as on /commitments/; a value not understood is ignored)"))
    return parameters


PAGE = _query("page", {"type": "integer", "minimum": 1, "maximum": 10_000}, "The page, from 1.")
MOVED = {
    "description": "A parameter not listed (or one given twice): redirected to the same URL without it.",
    "headers": {"Location": {"schema": {"type": "string"}}},
}
NOT_FOUND = {"description": "Not found", "content": {"application/json": {"schema": _ref("Error")}}}
TOO_MANY = {
    "description": "Too many requests from this address in the last minute: wait for `Retry-After` seconds.",
    "content": {"application/json": {"schema": _ref("Error")}},
}


def _operation(operation_id: str, summary: str, description: str, parameters: list, schema: str, *, found=False):
    responses = {"200": {"description": "OK", "content": {"application/json": {"schema": _ref(schema)}}}}
    responses["301"] = MOVED
    if found:
        responses["404"] = NOT_FOUND
    responses["429"] = TOO_MANY
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "parameters": parameters,
            "responses": responses,
        }
    }


PAGED = {
    "count": {"type": "integer"},
    "page": {"type": "integer"},
    "pages": {"type": "integer"},
    "next": MAYBE_TEXT,
    "previous": MAYBE_TEXT,
    "ignored": STRINGS,
}
SOURCE_REF = _object({"id": {"type": "integer"}, "title": TEXT, "url": TEXT})
COMMITMENT = _object(
    {
        "slug": TEXT,
        "title": TEXT,
        "summary": TEXT,
        "kind": {"type": "string", "enum": list(CommitmentKind.values)},
        "nature": TEXT,
        "pledged_by": TEXT,
        "pledged_to": TEXT,
        "status": TEXT,
        "formality": TEXT,
        "unit": TEXT,
        "unit_label": TEXT,
        "baseline_value": MAYBE_TEXT,
        "baseline_is_approximate": {"type": "boolean"},
        "target_qualifier": TEXT,
        "target_value": MAYBE_TEXT,
        "target": TEXT,
        "deadline": MAYBE_DAY,
        "deadline_precision": TEXT,
        "deadline_in_words": TEXT,
        "announced_on": MAYBE_DAY,
        "announced_precision": TEXT,
        "last_update_on": MAYBE_DAY,
        "legal_basis": TEXT,
        "lapses_on": MAYBE_DAY,
        "url": TEXT,
        "api_url": TEXT,
    }
)
CHANGE = _object({"what": TEXT, "old": TEXT, "new": TEXT})
MEASUREMENT = _object(
    {
        "value": TEXT,
        "unit": TEXT,
        "approximate": {"type": "boolean"},
        "period_start": MAYBE_DAY,
        "period_precision": TEXT,
        "basis": TEXT,
        "basis_changed": {"type": "boolean"},
        "money_stage": TEXT,
        "in_words": TEXT,
    }
)
EVENT = _object(
    {
        "id": {"type": "integer"},
        "commitment": TEXT,
        "date": DAY,
        "precision": TEXT,
        "date_is_report_date": {"type": "boolean"},
        "note": TEXT,
        "changes": {"type": "array", "items": _ref("Change")},
        "measurement": {"oneOf": [_ref("Measurement"), {"type": "null"}]},
        "quote": MAYBE_TEXT,
        "source": {"oneOf": [_ref("SourceRef"), {"type": "null"}]},
        "url": TEXT,
    }
)
QUOTE = _object(
    {
        "id": {"type": "integer"},
        "text": TEXT,
        "speaker": MAYBE_TEXT,
        "according_to": MAYBE_TEXT,
        "said_on": MAYBE_DAY,
        "said_precision": TEXT,
        "source": _ref("SourceRef"),
        "context": TEXT,
    },
    {"commitments": STRINGS},
)
READING = _object({"party": TEXT, "country": TEXT, "side": TEXT, "reading": TEXT, "quote": TEXT})
SOURCE_FIELDS = {
    "id": {"type": "integer"},
    "title": TEXT,
    "description": TEXT,
    "kind": TEXT,
    "publisher": TEXT,
    "author": TEXT,
    "url": TEXT,
    "published_on": MAYBE_DAY,
    "published_precision": TEXT,
    "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    "page": TEXT,
}
FILTERS = {"type": "object", "additionalProperties": TEXT}

SCHEMAS = {
    "Error": _object({"error": TEXT}, {"retry_after": {"type": "integer"}}),
    "SourceRef": SOURCE_REF,
    "Change": CHANGE,
    "Measurement": MEASUREMENT,
    "Event": EVENT,
    "Quote": QUOTE,
    "Reading": READING,
    "CommitmentSummary": COMMITMENT,
    "Commitment": {
        "allOf": [
            _ref("CommitmentSummary"),
            _object(
                {
                    "events": {"type": "array", "items": _ref("Event")},
                    "quotes": {"type": "array", "items": _ref("Quote")},
                    "readings": {"type": "array", "items": _ref("Reading")},
                }
            ),
        ]
    },
    "CommitmentList": _object(
        {"filters": FILTERS, **PAGED, "results": {"type": "array", "items": _ref("CommitmentSummary")}}
    ),
    "SourceSummary": _object(
        {
            **SOURCE_FIELDS,
            "seed_file": TEXT,
            "quote_count": {"type": "integer"},
            "commitment_count": {"type": "integer"},
            "api_url": TEXT,
        }
    ),  # fmt: skip
    "SourceList": _object({**PAGED, "results": {"type": "array", "items": _ref("SourceSummary")}}),
    "Source": _object({**SOURCE_FIELDS, "text": TEXT, "quotes": {"type": "array", "items": _ref("Quote")}}),
    "TimelineEntry": {
        "oneOf": [
            {"allOf": [_object({"type": {"const": "update"}}), _ref("Event")]},
            _object({"type": {"const": "source"}, "date": DAY, "precision": TEXT, "source": _ref("SourceRef")}),
        ]
    },
    "Timeline": _object(
        {
            "filters": FILTERS,
            "ignored": STRINGS,
            "page": {"type": "integer"},
            "next": MAYBE_TEXT,
            "results": {"type": "array", "items": _ref("TimelineEntry")},
        }
    ),
    "Moved": _object(
        {
            "slug": TEXT,
            "title": TEXT,
            "url": TEXT,
            "new_on_record": {"type": "boolean"},
            "changes": {"type": "array", "items": _ref("Change")},
            "events": {"type": "array", "items": _ref("Event")},
        }
    ),
    "Changes": _object(
        {
            "from": DAY,
            "to": DAY,
            "notes": STRINGS,
            "filters": FILTERS,
            **PAGED,
            "results": {"type": "array", "items": _ref("Moved")},
        }
    ),  # fmt: skip
    "OpenAPI": {"type": "object"},
}


def openapi_schema(base_url: str) -> dict:
    limit = settings.TRACKER_API_RATE_LIMIT
    timeline_parameters = [
        _query("kind", {"type": "string", "enum": list(CommitmentKind.values)}, "The commitments' kind."),
        _query("party", SLUG, "An actor's slug: the events of what it pledged or was pledged."),
        _query("commitment", SLUG, "A commitment's slug: its events only."),
        _query("type", {"type": "string", "enum": [key for key, _label in EVENT_TYPES]}, "The kind of event."),
        PAGE,
    ]
    window = [
        _query("from", DAY, "The first day compared (default: 30 days before `to`)."),
        _query("to", DAY, "The second day compared (default: today)."),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Japan–US commitments tracker: read API",
            "version": "1",
            "description": (
                "The tracker's data as JSON: commitments with the index's filters, one commitment with its events, "
                "quotes and each side's reading, the sources, the timeline and what changed between two days. "
                f"GET only, no key; at most {limit} requests a minute from one address (then 429 with "
                "`Retry-After`). Readable from any site (CORS). Responses carry an ETag: ask again with "
                "`If-None-Match` to get 304 while nothing changed. A parameter not listed here is dropped by a "
                "301 redirect; a listed one with a value not understood is ignored and named in `ignored`."
            ),
            "license": {
                "name": "Public data; cite the tracker",
                "url": f"{base_url.rsplit('/api', 1)[0]}/methodology/",
            },
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/commitments/": _operation(
                "listCommitments",
                "Commitments",
                "Every commitment, with the filters of /commitments/ (as they stood on `as_of`), 25 a page.",
                [*_filter_parameters(), PAGE],
                "CommitmentList",
            ),
            "/commitments/{slug}/": _operation(
                "getCommitment",
                "A commitment",
                "One commitment today, with its events (oldest first), its supporting quotes and each side's reading.",
                [{"name": "slug", "in": "path", "required": True, "schema": SLUG}],
                "Commitment",
                found=True,
            ),
            "/sources/": _operation(
                "listSources", "Sources", "Every source's metadata, 25 a page.", [PAGE], "SourceList"
            ),
            "/sources/{source_id}/": _operation(
                "getSource",
                "A source",
                "One source with its full stored text and the quotes taken from it.",
                [
                    {
                        "name": "source_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                    }
                ],
                "Source",
                found=True,
            ),
            "/timeline/": _operation(
                "listTimeline",
                "Timeline",
                "Every event (status changes, revisions, measurements, new sources), newest first, 30 a page.",
                timeline_parameters,
                "Timeline",
            ),
            "/changes/": _operation(
                "listChanges",
                "What changed between two days",
                "Every commitment whose state on `to` differs from its state on `from`, old → new, with the events "
                "in between; the index's filters apply to the state on `to`.",
                [*window, *_filter_parameters(leave_out=("as_of",)), PAGE],
                "Changes",
            ),
            "/schema/": _operation("getSchema", "This schema", "The OpenAPI 3.1 schema of the API.", [], "OpenAPI"),
        },
        "components": {"schemas": SCHEMAS},
    }
