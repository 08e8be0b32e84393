"""CSV round trips of commitments and status updates, from the command line and the admin."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Commitment, StatusUpdate


def _export(what) -> list[dict]:
    out = io.StringIO()
    call_command("export_csv", what, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _write(tmp_path, rows: list[dict]) -> str:
    path = tmp_path / "import.csv"
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def _import(what, path, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_csv", what, path, stdout=out, stderr=err, **options)
    return out.getvalue()


def test_it_exports_every_commitment_and_update_of_the_seed(seeded):
    assert len(_export("commitments")) == Commitment.objects.count()
    rows = _export("updates")
    assert len(rows) == StatusUpdate.objects.count()
    moved = next(row for row in rows if row["commitment"] == "defence-2pct-gdp" and row["new_deadline"] == "2026-03-31")
    assert (moved["old_deadline"], moved["old_deadline_precision"]) == ("2028-03-31", "fiscal_year")


def test_it_reimports_its_own_export_without_changing_anything(seeded, tmp_path):
    before = Commitment.objects.values_list("slug", "title", "deadline", "revision")
    assert "0 new, 0 updated" in _import("commitments", _write(tmp_path, _export("commitments")))
    assert "0 new, 0 updated" in _import("updates", _write(tmp_path, _export("updates")))
    assert list(Commitment.objects.values_list("slug", "title", "deadline", "revision")) == list(before)


def test_it_adds_and_updates_commitments(seeded, tmp_path):
    rows = _export("commitments")[:1]
    rows[0]["title"] = "Defence spending: 2% of GDP"
    new = dict(rows[0], slug="new-pledge", title="A new pledge", status="not_rated", note="")
    rows.append(new)
    assert "1 new, 1 updated" in _import("commitments", _write(tmp_path, rows))
    assert Commitment.objects.get(slug=rows[0]["slug"]).title == "Defence spending: 2% of GDP"
    assert Commitment.objects.get(slug="new-pledge").title == "A new pledge"


def test_it_saves_nothing_when_one_row_is_invalid_and_says_which(seeded, tmp_path):
    rows = _export("commitments")[:2]
    rows[0]["title"] = "Changed title"
    rows[1]["target_value"] = "-5"
    with pytest.raises(CommandError, match="nothing was imported"):
        _import("commitments", _write(tmp_path, rows))
    assert not Commitment.objects.filter(title="Changed title").exists()


def test_it_refuses_to_change_a_commitments_state_outside_a_status_update(seeded, tmp_path):
    rows = [row for row in _export("commitments") if row["slug"] == "defence-2pct-gdp"]
    rows[0]["deadline"] = "2027-03-31"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "commitments", _write(tmp_path, rows), stderr=err)
    assert "changes only through a status update" in err.getvalue()
    assert Commitment.objects.get(slug="defence-2pct-gdp").deadline == datetime.date(2026, 3, 31)


def test_an_imported_update_moves_the_deadline_and_keeps_the_old_one(seeded, tmp_path):
    template = _export("updates")[0]
    row = dict.fromkeys(template, "")
    row.update(
        {
            "commitment": "defence-2pct-gdp",
            "happened_on": "2026-04-01",
            "happened_precision": "day",
            "date_is_report_date": "0",
            "source": "4",
            "note": "Deadline moved again.",
            "new_deadline": "2027-03-31",
            "new_deadline_precision": "fiscal_year",
        }
    )
    assert "1 new" in _import("updates", _write(tmp_path, [row]))
    pledge = Commitment.objects.get(slug="defence-2pct-gdp")
    assert (pledge.deadline, pledge.deadline_precision) == (datetime.date(2027, 3, 31), "fiscal_year")
    update = pledge.updates.get(new_deadline=datetime.date(2027, 3, 31))
    assert update.old_deadline == datetime.date(2026, 3, 31)


def test_it_refuses_an_imported_status_change_without_a_source(seeded, tmp_path):
    template = _export("updates")[0]
    row = dict.fromkeys(template, "")
    row.update(
        {
            "commitment": "defence-2pct-gdp",
            "happened_on": "2026-04-01",
            "happened_precision": "day",
            "date_is_report_date": "0",
            "note": "Kept.",
            "new_status": "kept",
        }
    )
    with pytest.raises(CommandError):
        _import("updates", _write(tmp_path, [row]))
    assert Commitment.objects.get(slug="defence-2pct-gdp").status == "in_the_works"


def test_the_dry_run_saves_nothing(seeded, tmp_path):
    rows = _export("commitments")[:1]
    rows[0]["title"] = "Dry"
    assert "Would import: 0 new, 1 updated" in _import("commitments", _write(tmp_path, rows), dry_run=True)
    assert not Commitment.objects.filter(title="Dry").exists()


def test_the_admin_previews_then_imports(seeded, editor_client, tmp_path):
    client = editor_client
    rows = _export("commitments")[:1]
    rows[0]["title"] = "Previewed title"
    path = _write(tmp_path, rows)
    with open(path, "rb") as file:
        response = client.post(
            "/admin/tracker/commitment/import/", {"import_file": file, "format": "0", "resource": "0"}
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Previewed title" in html
    assert not Commitment.objects.filter(title="Previewed title").exists()
    form = response.context["confirm_form"]
    response = client.post("/admin/tracker/commitment/process_import/", {**form.initial})
    assert response.status_code == 302
    assert Commitment.objects.filter(title="Previewed title").exists()


def test_the_admin_lists_each_bad_row_and_saves_nothing(seeded, editor_client, tmp_path):
    client = editor_client
    rows = _export("commitments")[:2]
    rows[0]["title"] = "Would be saved"
    rows[1]["kind"] = "not-a-kind"
    with open(_write(tmp_path, rows), "rb") as file:
        response = client.post(
            "/admin/tracker/commitment/import/", {"import_file": file, "format": "0", "resource": "0"}
        )
    html = response.content.decode()
    assert "not-a-kind" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Commitment.objects.filter(title="Would be saved").exists()


def test_a_measurements_basis_and_a_legal_basis_go_through_csv_and_the_legal_basis_only_by_an_event(seeded, tmp_path):
    rows = _export("updates")
    row = dict(next(row for row in rows if row["commitment"] == "defence-2pct-gdp"))
    row.update(
        id="",
        happened_on="2025-12-16",
        happened_precision="day",
        note="Counted with the supplementary budget (synthetic).",
        new_status="",
        new_deadline="",
        new_deadline_precision="",
        new_instrument="a cabinet decision",
        measured_value="2",
        measured_unit="",
        measured_is_approximate="1",
        measured_as_of="2025-04-01",
        measured_precision="fiscal_year",
        measured_basis="including the supplementary budget",
        basis_changed="1",
        money_stage="",
    )
    _import("updates", _write(tmp_path, [row]))
    update = StatusUpdate.objects.get(note="Counted with the supplementary budget (synthetic).")
    assert (update.measured_basis, update.basis_changed, update.measured_is_approximate) == (
        "including the supplementary budget",
        True,
        True,
    )
    assert Commitment.objects.get(slug="defence-2pct-gdp").instrument == "a cabinet decision"

    commitment = dict(next(row for row in _export("commitments") if row["slug"] == "defence-2pct-gdp"))
    assert commitment["instrument"] == "a cabinet decision"
    commitment["instrument"] = "a law"
    with pytest.raises(CommandError):
        _import("commitments", _write(tmp_path, [commitment]))
    assert Commitment.objects.get(slug="defence-2pct-gdp").instrument == "a cabinet decision"


def test_the_editors_japanese_goes_through_csv_and_into_the_history(seeded, tmp_path):
    rows = [row for row in _export("commitments") if row["slug"] == "defence-2pct-gdp"]
    assert rows[0]["title_ja"] == "防衛費をGDP比2%に"
    rows[0]["title_ja"] = "防衛費を国内総生産比2%に"
    rows[0]["summary_ja"] = "日本の目標。"
    assert "0 new, 1 updated" in _import("commitments", _write(tmp_path, rows))
    commitment = Commitment.objects.get(slug="defence-2pct-gdp")
    assert (commitment.title_ja, commitment.summary_ja) == ("防衛費を国内総生産比2%に", "日本の目標。")
    # Not renamed by any event: the corrected Japanese title is its title throughout its history.
    assert set(commitment.states.values_list("title_ja", flat=True)) == {"防衛費を国内総生産比2%に"}
