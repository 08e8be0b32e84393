"""Imports: never a timeout (a clear row limit in the admin), errors in plain words naming the row (the same number
in the admin and on the command line) and the field, duplicate keys refused."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tracker.models import Commitment
from tracker.resources import ADMIN_IMPORT_MAX_ROWS
from tracker.tests.test_import_export import _export, _write


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("ed", "", "a-long-password-123"))
    return client


def _admin_import(client, path):
    with open(path, "rb") as file:
        return client.post("/admin/tracker/commitment/import/", {"import_file": file, "format": "0", "resource": "0"})


def _cli_problems(path) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "commitments", path, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_the_admin_refuses_a_file_over_its_row_limit_at_once_with_a_clear_message(seeded, admin_client, tmp_path):
    row = _export("commitments")[0]
    rows = [{**row, "slug": f"bulk-{n}", "title": f"Bulk {n}"} for n in range(ADMIN_IMPORT_MAX_ROWS + 1)]
    response = _admin_import(admin_client, _write(tmp_path, rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"This file has {ADMIN_IMPORT_MAX_ROWS + 1:,} rows: the admin imports at most" in html
    assert "manage.py import_csv" in html
    assert not Commitment.objects.filter(slug__startswith="bulk-").exists()


def test_the_command_line_has_no_row_limit(seeded, tmp_path):
    row = _export("commitments")[0]
    rows = [{**row, "slug": f"bulk-{n}", "title": f"Bulk {n}"} for n in range(ADMIN_IMPORT_MAX_ROWS + 1)]
    call_command("import_csv", "commitments", _write(tmp_path, rows), "--dry-run", stdout=io.StringIO())


def test_duplicate_keys_in_one_file_are_an_error_in_both(seeded, admin_client, tmp_path):
    rows = _export("commitments")[:2]
    rows[1]["slug"] = rows[0]["slug"]
    path = _write(tmp_path, rows)
    message = f"Rows 1 and 2 both have slug “{rows[0]['slug']}”: a file may name each record only once"
    assert message in _cli_problems(path)
    assert message in _admin_import(admin_client, path).content.decode()


def test_a_bad_number_is_named_in_plain_words_with_its_row_and_field(seeded, admin_client, tmp_path):
    rows = _export("commitments")[:3]
    rows[2]["baseline_value"] = "lots"
    path = _write(tmp_path, rows)
    problems = _cli_problems(path)
    assert "Row 3 (line 4 of the file): baseline value: “lots” is not a number" in problems
    assert "InvalidOperation" not in problems
    html = _admin_import(admin_client, path).content.decode()
    assert "“lots” is not a number" in html and "InvalidOperation" not in html


def test_a_bad_date_is_named_in_plain_words(seeded, tmp_path):
    rows = _export("commitments")[:1]
    rows[0]["announced_on"] = "28/10/2025"
    assert "Row 1 (line 2 of the file): announced on: “28/10/2025” is not a date" in _cli_problems(
        _write(tmp_path, rows)
    )


def test_an_unclosed_quote_is_reported_as_such(seeded, tmp_path):
    rows = _export("commitments")[:2]
    lines = Path(_write(tmp_path, rows)).read_text(encoding="utf-8").splitlines()
    slug, rest = lines[1].split(",", 1)
    lines[1] = f'{slug},"{rest}'  # the title's opening quote, never closed
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="a quoted value that starts on line 2 is never closed"):
        call_command("import_csv", "commitments", str(path), stdout=io.StringIO(), stderr=io.StringIO())
