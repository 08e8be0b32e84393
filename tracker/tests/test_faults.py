"""What readers and editors see when things go wrong: never a traceback, never half a save."""

import json
import logging

from django.db import OperationalError

from tracker.models import Commitment, StatusUpdate
from tracker.tests.admin_forms import admin_form_data


def _break_detail_view(monkeypatch, message):
    def unreachable(*args, **kwargs):
        raise OperationalError(message)

    monkeypatch.setattr("tracker.views.commitment_detail._get_commitment_or_404", unreachable)


def test_a_lost_database_gives_a_friendly_503(quiet_client, seeded, monkeypatch):
    _break_detail_view(monkeypatch, 'connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    response = quiet_client.get("/commitments/defence-2pct-gdp/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "cannot reach its database" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_a_broken_query_stays_a_500_without_a_traceback(quiet_client, seeded, monkeypatch):
    _break_detail_view(monkeypatch, "no such column: tracker_commitment.nonsense")
    response = quiet_client.get("/commitments/defence-2pct-gdp/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_healthz_says_ok_when_all_is_well(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_says_the_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr("tracker.views.health._database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "down"


def test_it_logs_one_json_line_per_request(client, seeded, caplog):
    with caplog.at_level(logging.INFO, logger="tracker.requests"):
        client.get("/commitments/?kind=purchase")
    lines = [json.loads(record.getMessage()) for record in caplog.records if record.name == "tracker.requests"]
    assert len(lines) == 1
    assert lines[0]["method"] == "GET" and lines[0]["path"] == "/commitments/" and lines[0]["status"] == 200
    assert lines[0]["duration_ms"] >= 0


def test_an_admin_save_that_fails_half_way_leaves_nothing_half_written(
    quiet_client, superuser, defence_pledge, source, monkeypatch
):
    quiet_client.force_login(superuser)
    url = f"/admin/tracker/commitment/{defence_pledge.pk}/change/"
    data = admin_form_data(quiet_client, url, "commitment_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    data.update(
        {
            "title": "A new title that must not survive",
            "updates-TOTAL_FORMS": "1",
            "updates-0-happened_on": "2025-10-24",
            "updates-0-happened_precision": "day",
            "updates-0-source": str(source.pk),
            "updates-0-note": "Moved.",
            "updates-0-new_deadline": "2026-03-31",
            "updates-0-new_deadline_precision": "month",
        }
    )

    def fail_half_way(update):
        raise RuntimeError("the server fell over while saving the inline")

    monkeypatch.setattr("tracker.services.record_update", fail_half_way)
    assert quiet_client.post(url, data).status_code == 500
    defence_pledge.refresh_from_db()
    assert defence_pledge.title == "Defence spending of 2% of GDP"
    assert not StatusUpdate.objects.exists()
    assert Commitment.history.filter(id=defence_pledge.pk).count() == 1
