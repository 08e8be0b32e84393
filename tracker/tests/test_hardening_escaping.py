"""Escaping in every format the tracker writes: Atom feeds, CSV (the downloads and the admin's import/export), JSON."""

import csv
import datetime
import io
import json

import feedparser
import pytest
from django.core.management import call_command

from tracker import services
from tracker.exports import from_spreadsheet_safe, spreadsheet_safe
from tracker.models import Commitment, StatusUpdate

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture
def hostile_update(make_commitment, source):
    commitment = make_commitment(title=f"Pledge {HOSTILE}", summary=f"Summary {HOSTILE}")
    services.record_update(
        StatusUpdate(
            commitment=commitment, happened_on=datetime.date(2025, 10, 1), source=source, note=f"Note {HOSTILE}\nnext"
        )
    )
    return commitment


@pytest.mark.parametrize("url", ["/timeline/feed/", "/commitments/commitment-1/feed/"])
def test_a_feed_reader_shows_editors_markup_as_text_never_as_markup(client, hostile_update, url):
    feedparser.SANITIZE_HTML = False  # what a careless reader does: render the HTML as given
    try:
        feed = feedparser.parse(client.get(url).content)
    finally:
        feedparser.SANITIZE_HTML = True
    assert not feed.bozo
    entry = feed.entries[0]
    # The summary is HTML (type="html"): once parsed as HTML it must hold no element of the editor's, only text.
    assert "<script" not in entry.summary and "<img" not in entry.summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry.summary
    assert "<br" in entry.summary  # the note's line break, the only markup: ours
    assert "<script" not in entry.title or entry.title_detail.type == "text/plain"


SEPARATOR_TRICKS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "＝1+1",  # full-width: a formula in Japanese-locale spreadsheets
    "x;=cmd|' /C calc'!A0",
    "x,=cmd|' /C calc'!A0",
    "x\t=cmd",
    "x| =cmd",
    "'=already quoted",
    "''=twice",
    "'plain apostrophe",
    "a, -5% growth",
    "plain text",
]


def _evaluated_somewhere(cell: str) -> bool:
    """Would a spreadsheet run any piece of this cell, whatever separator it splits on?"""
    pieces = [cell]
    for separator in ",;\t|":
        pieces += [piece.lstrip() for piece in cell.split(separator)[1:]]
    return any(piece[:1] in "=+-@＝＋－＠\t\r" and piece != "" for piece in pieces)


@pytest.mark.parametrize("value", SEPARATOR_TRICKS)
def test_no_csv_cell_is_a_formula_in_any_separator_locale_and_the_round_trip_is_exact(value):
    cell = spreadsheet_safe(value)
    assert not _evaluated_somewhere(cell), repr(cell)
    assert from_spreadsheet_safe(cell) == value


@pytest.mark.parametrize("value", SEPARATOR_TRICKS)
def test_the_public_csv_download_neutralises_every_formula(client, make_commitment, value):
    make_commitment(title=value)
    rows = list(csv.DictReader(io.StringIO(client.get("/commitments.csv").content.decode())))
    assert all(not _evaluated_somewhere(cell) for row in rows for cell in row.values())


@pytest.mark.parametrize("value", SEPARATOR_TRICKS)
def test_an_admin_export_then_import_keeps_every_value_exactly(make_commitment, tmp_path, value):
    make_commitment(title="Some title", summary=value, note=value)
    out = io.StringIO()
    call_command("export_csv", "commitments", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert all(not _evaluated_somewhere(cell) for cell in rows[0].values())
    path = tmp_path / "c.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    Commitment.objects.update(summary="changed", note="changed")
    call_command("import_csv", "commitments", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    commitment = Commitment.objects.get()
    assert (commitment.summary, commitment.note) == (value, value)


def test_json_downloads_carry_no_markup(client, hostile_update):
    body = client.get("/commitments.json").content.decode()
    assert "<" not in body and ">" not in body
    assert json.loads(body)["results"][0]["title"] == f"Pledge {HOSTILE}"
