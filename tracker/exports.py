"""Downloads of what a list page shows: CSV safe to open in a spreadsheet, JSON safe to paste near HTML."""

import csv
import functools
import json
import re
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse

# Rows read from the database at a time while a download streams: memory stays flat whatever the number of rows.
EXPORT_CHUNK = 1000
# Rows written per chunk sent: fewer, larger writes to the socket than one per row.
_ROWS_PER_CHUNK = 200

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet may run as a formula: a cell that starts with one of these (the full-width forms too, which
# Japanese-locale spreadsheets read as their ASCII twins), or a piece of a cell after a separator, for a spreadsheet
# that splits on another separator than the file's (`x;=cmd|' /C calc'!A0` opened where ";" separates).
_FORMULA = "=+\\-@＝＋－＠"
_CELL_START = re.compile(rf"^('*)(?=[{_FORMULA}\t\r])")
_PIECE_START = re.compile(rf"([,;\t|]\s*)('*)(?=[{_FORMULA}])")
_ESCAPED_CELL_START = re.compile(rf"^'('*)(?=[{_FORMULA}\t\r])")
_ESCAPED_PIECE_START = re.compile(rf"([,;\t|]\s*)'('*)(?=[{_FORMULA}])")


# A cell changes only if it starts with a formula start or an apostrophe (before one), or holds a separator (before
# a piece that starts with one): most cells, dates and numbers included ("2026-03-31"), do neither.
_MAY_START_RISKY = frozenset(_FORMULA + "\t\r'")
_SEPARATORS = frozenset(",;\t|")


def spreadsheet_safe(value) -> str:
    """A cell no spreadsheet will run as a formula (CSV injection), whatever separator it splits on: each formula
    start, at the start of the cell or after a separator, gets an apostrophe before it (spreadsheets show a leading
    one as text). Apostrophes already there are kept by adding one, so `from_spreadsheet_safe` gives back the exact
    value: a round trip changes nothing."""
    text = "" if value is None else str(value)
    if text[:1] not in _MAY_START_RISKY and _SEPARATORS.isdisjoint(text):
        return text  # nothing a spreadsheet could read as a formula (most cells: spares the two regexes below)
    text = _CELL_START.sub(r"'\1", text)
    return _PIECE_START.sub(r"\1'\2", text)


def from_spreadsheet_safe(text: str) -> str:
    """The value `spreadsheet_safe` wrote: one apostrophe less before each formula start."""
    text = _ESCAPED_CELL_START.sub(r"\1", text)
    return _ESCAPED_PIECE_START.sub(r"\1\2", text)


def in_batches(queryset, size: int = EXPORT_CHUNK):
    """The rows of `queryset`, in its order, read `size` at a time: the ordered ids first (one query; 10,000 ids are
    80 KB), then each batch by its ids. Not `iterator()`: on PostgreSQL that holds a server-side cursor open while the
    download streams, and a second one, left unread and collected mid-query (a client gone, a test), closed itself
    on the connection the first was reading from and hung the process. Each query here is an ordinary one, bounded
    by the statement timeout."""
    ids = list(queryset.values_list("pk", flat=True))
    return len(ids), _batches(queryset, ids, size)


def lazily(make):
    """What `make()` gives, computed only when the download starts reading it: the CSV's header leaves first."""
    yield from make()


def _batches(queryset, ids: list, size: int):
    # A small first batch, so that the first rows leave soon; then `size` at a time.
    bounds = [0, *range(min(100, size), len(ids), size), len(ids)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        batch = ids[start:end]
        # Model instances or, from a values() queryset (cheaper to build: the downloads of many rows), dicts with "pk".
        found = {(row["pk"] if isinstance(row, dict) else row.pk): row for row in queryset.filter(pk__in=batch)}
        yield from (found[pk] for pk in batch if pk in found)  # one deleted meanwhile is left out


def absolute_urls(request, url_name: str):
    """slug or id → the absolute URL of `url_name` with it: `reverse()` and `build_absolute_uri()` once per download
    instead of once per row (they were a fifth of a 10,000-row CSV's time). For URLs whose only argument is their
    last segment, a slug or a number (which need no quoting)."""
    prefix, suffix = request.build_absolute_uri(reverse(url_name, args=["0"])).rsplit("0", 1)
    return lambda value: f"{prefix}{value}{suffix}"


class _Lines(list):
    """What csv's writer writes to: kept until the chunk is sent."""

    def write(self, text: str) -> None:
        self.append(text)


def _csv_chunks(fields: list[str], rows: Iterable[dict]):
    buffer = _Lines()
    # The csv module's plain writer, the cells in the header's order: what DictWriter wrote, without its check of
    # every row's keys (a tenth of a 10,000-row download's time).
    writer = csv.writer(buffer)
    writer.writerow(fields)
    yield buffer.pop()  # the first byte leaves before the first row is read
    for row in rows:
        writer.writerow([spreadsheet_safe(row[key]) for key in fields])
        if len(buffer) >= _ROWS_PER_CHUNK:
            yield "".join(buffer)
            buffer.clear()
    yield "".join(buffer)


def csv_response(filename: str, fields: Iterable[str], rows: Iterable[dict]) -> StreamingHttpResponse:
    """The rows as CSV, sent as they are read (the first byte leaves before the last row is read)."""
    response = StreamingHttpResponse(_csv_chunks(list(fields), rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _html_safe(text: str) -> str:
    # The same JSON, but no "<", ">" or "&" that a careless consumer could paste into HTML as markup.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _dumps(value) -> str:
    # DjangoJSONEncoder writes a translated label (a lazy string) in the language of the request.
    return json.dumps(value, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)


def json_response(payload: dict) -> HttpResponse:
    return HttpResponse(_html_safe(_dumps(payload)), content_type="application/json")


@functools.cache
def _flat_encoder(inner: str) -> DjangoJSONEncoder:
    # json.dumps uses its C encoder only without `indent`; with the separator of an indented dict it writes what
    # the indenting one writes, as long as no value is a dict or a list itself.
    return DjangoJSONEncoder(ensure_ascii=False, separators=(",\n" + inner, ": "))


def _indented(value, indent: str) -> str:
    """`_dumps(value)` for a value written `indent` deep, without the json module's pure-Python indenting encoder
    (which json.dumps uses whenever `indent` is given: two thirds of a streamed JSON's time). Runs of plain values in
    a dict are written by the C encoder, dicts and lists within laid out here as json.dumps(indent=1) lays them out.
    Keys are strings (as in every download)."""
    inner = indent + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts: list[str] = []
        plain: dict = {}
        for key, item in value.items():
            if isinstance(item, dict | list | tuple):
                if plain:
                    parts.append(_flat_encoder(inner).encode(plain)[1:-1])
                    plain = {}
                parts.append(f"{_flat_encoder(inner).encode(key)}: {_indented(item, inner)}")
            else:
                plain[key] = item
        if plain:
            parts.append(_flat_encoder(inner).encode(plain)[1:-1])
        return f"{{\n{inner}" + f",\n{inner}".join(parts) + f"\n{indent}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return f"[\n{inner}" + f",\n{inner}".join(_indented(item, inner) for item in value) + f"\n{indent}]"
    return _flat_encoder(inner).encode(value)


def _json_chunks(head: dict, key: str, rows: Iterable[dict]):
    opening = _dumps({**head, key: []})
    assert opening.endswith("[]\n}")
    yield _html_safe(opening[: -len("[]\n}")])
    buffer, first = [], True
    for row in rows:
        # Each row as json.dumps(indent=1) writes it two levels deep.
        buffer.append(("[\n  " if first else ",\n  ") + _indented(row, "  "))
        first = False
        if len(buffer) >= _ROWS_PER_CHUNK:
            yield _html_safe("".join(buffer))
            buffer.clear()
    buffer.append("[]\n}" if first else "\n ]\n}")
    yield _html_safe("".join(buffer))


def json_stream(head: dict, key: str, rows: Iterable[dict]) -> StreamingHttpResponse:
    """`json_response({**head, key: list(rows)})`, byte for byte, sent as the rows are read: `head` comes first (so
    a count in it must be known before the rows are), `key` last."""
    return StreamingHttpResponse(_json_chunks(head, key, rows), content_type="application/json")
