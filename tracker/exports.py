"""Downloads of what a list page shows: CSV safe to open in a spreadsheet, JSON safe to paste near HTML."""

import csv
import json
import re
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet may run as a formula: a cell that starts with one of these (the full-width forms too, which
# Japanese-locale spreadsheets read as their ASCII twins), or a piece of a cell after a separator, for a spreadsheet
# that splits on another separator than the file's (`x;=cmd|' /C calc'!A0` opened where ";" separates).
_FORMULA = "=+\\-@＝＋－＠"
_CELL_START = re.compile(rf"^('*)(?=[{_FORMULA}\t\r])")
_PIECE_START = re.compile(rf"([,;\t|]\s*)('*)(?=[{_FORMULA}])")
_ESCAPED_CELL_START = re.compile(rf"^'('*)(?=[{_FORMULA}\t\r])")
_ESCAPED_PIECE_START = re.compile(rf"([,;\t|]\s*)'('*)(?=[{_FORMULA}])")


def spreadsheet_safe(value) -> str:
    """A cell no spreadsheet will run as a formula (CSV injection), whatever separator it splits on: each formula
    start, at the start of the cell or after a separator, gets an apostrophe before it (spreadsheets show a leading
    one as text). Apostrophes already there are kept by adding one, so `from_spreadsheet_safe` gives back the exact
    value: a round trip changes nothing."""
    text = "" if value is None else str(value)
    text = _CELL_START.sub(r"'\1", text)
    return _PIECE_START.sub(r"\1'\2", text)


def from_spreadsheet_safe(text: str) -> str:
    """The value `spreadsheet_safe` wrote: one apostrophe less before each formula start."""
    text = _ESCAPED_CELL_START.sub(r"\1", text)
    return _ESCAPED_PIECE_START.sub(r"\1\2", text)


def csv_response(filename: str, fields: Iterable[str], rows: Iterable[dict]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.DictWriter(response, fieldnames=list(fields))
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return response


def json_response(payload: dict) -> HttpResponse:
    # DjangoJSONEncoder writes a translated label (a lazy string) in the language of the request.
    body = json.dumps(payload, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)
    # The same JSON, but no "<", ">" or "&" that a careless consumer could paste into HTML as markup.
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return HttpResponse(body, content_type="application/json")
