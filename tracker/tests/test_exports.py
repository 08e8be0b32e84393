"""The streamed downloads write, byte for byte, what the whole-in-memory ones wrote."""

import csv
import io
import json

import pytest

from tracker.exports import _csv_chunks, _json_chunks, json_response, spreadsheet_safe

ROWS = [
    {"title": "<script>alert('x')</script> & co", "n": 1, "empty": [], "nested": {"a": [1, {"b": None}]}},
    {"title": "日本語 “quotes” \n a line break", "n": 2.5, "empty": {}, "nested": {"a": []}},
    {"title": "=1+1", "n": None, "empty": "", "nested": {}},
]


@pytest.mark.parametrize("rows", [[], ROWS[:1], ROWS, ROWS * 300], ids=["none", "one", "three", "900"])
def test_the_streamed_json_is_the_json_written_whole(rows):
    head = {"filters": {"q": "<b>"}, "ignored": ["Kind"], "count": len(rows)}
    streamed = "".join(_json_chunks(head, "results", iter(rows)))
    assert streamed == json_response({**head, "results": rows}).content.decode()
    assert json.loads(streamed)["results"] == rows
    assert "<" not in streamed and ">" not in streamed and "&" not in streamed


@pytest.mark.parametrize("count", [0, 1, 450])
def test_the_streamed_csv_is_the_csv_written_whole(count):
    fields = ["title", "n", "empty", "nested"]
    rows = (ROWS * count)[:count]
    chunks = list(_csv_chunks(fields, iter(rows)))
    assert chunks[0] == "title,n,empty,nested\r\n"  # the header leaves before any row is read
    whole = io.StringIO()
    writer = csv.DictWriter(whole, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    assert "".join(chunks) == whole.getvalue()


@pytest.mark.parametrize(
    "value", ["plain", "a-b-c", "2025-10-01", "'quoted", "x, =1", "=1", "－1", "\t=1", "a|@b", 12, None, "it's"]
)
def test_the_fast_path_of_spreadsheet_safe_changes_nothing_it_should_not(value):
    """Cells with no formula start and no separator skip the regexes: the result is what the regexes give."""
    from tracker.exports import _CELL_START, _PIECE_START

    text = "" if value is None else str(value)
    assert spreadsheet_safe(value) == _PIECE_START.sub(r"\1'\2", _CELL_START.sub(r"'\1", text))


def test_rows_read_in_batches_come_in_the_querysets_order(make_commitment, django_assert_num_queries):
    from tracker.exports import in_batches
    from tracker.models import Commitment

    for n in range(12):
        make_commitment(title=f"Title {n % 5}")
    queryset = Commitment.objects.order_by("-title", "pk")
    # the ids, then 4 batches of 3 (the first is of up to 100), and the check's own query
    with django_assert_num_queries(1 + 4 + 1):
        count, rows = in_batches(queryset, size=3)
        assert [row.pk for row in rows] == list(queryset.values_list("pk", flat=True))
    assert count == 12
    count, rows = in_batches(queryset.filter(title="none"))
    assert (count, list(rows)) == (0, [])


def test_the_streamed_json_writes_every_value_as_the_whole_json_did():
    """Plain values around nested ones keep their order; dates, decimals and translated labels are written by the
    same encoder as before (DjangoJSONEncoder)."""
    import datetime
    from decimal import Decimal

    from django.utils.translation import gettext_lazy

    rows = [
        {
            "first": True,
            "readings": [{"party": "A", "n": 1}, {}, [], 2],
            "when": datetime.date(2026, 3, 31),
            "amount": Decimal("1.50"),
            "label": gettext_lazy("Kept"),
            "inner": {"deep": {"x": [None]}, "after": "z"},
            "last": -0.5,
        }
    ]
    streamed = "".join(_json_chunks({"count": 1}, "results", iter(rows)))
    assert streamed == json_response({"count": 1, "results": rows}).content.decode()
