"""Downloads of what a list page shows: CSV safe to open in a spreadsheet, JSON safe to paste near HTML."""

import csv
import json
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): such cells get a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def from_spreadsheet_safe(text: str) -> str:
    """The cell as it was before `spreadsheet_safe`: a round trip changes nothing."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def csv_response(filename: str, fields: Iterable[str], rows: Iterable[dict]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.DictWriter(response, fieldnames=list(fields))
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return response


def json_response(payload: dict) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, indent=1)
    # The same JSON, but no "<", ">" or "&" that a careless consumer could paste into HTML as markup.
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return HttpResponse(body, content_type="application/json")
