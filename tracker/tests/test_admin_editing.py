"""Editors in the admin: no silent overwrite, no rewritten history, nothing unsourced."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tracker import services
from tracker.models import Commitment, Source, StatusUpdate
from tracker.tests.admin_forms import admin_form_data


@pytest.fixture
def second_editor(db):
    other = Client()
    other.force_login(get_user_model().objects.create_superuser("second", "", "a-long-password-123"))
    return other


def _change_url(commitment):
    return f"/admin/tracker/commitment/{commitment.pk}/change/"


def test_it_stores_a_pasted_article_verbatim_with_its_hash(editor_client):
    text = "  Headline\r\n\r\nFirst paragraph with “curly quotes”.  \r\n"
    response = editor_client.post(
        "/admin/tracker/source/add/",
        {
            "description": "A pasted article",
            "kind": "news_report",
            "text": text,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    source = Source.objects.get(description="A pasted article")
    assert source.text == "  Headline\n\nFirst paragraph with “curly quotes”.  \n"
    assert source.text_sha256 == Source.hash_text(source.text)


def test_it_refuses_to_overwrite_a_commitment_someone_else_saved(editor_client, second_editor, defence_pledge):
    mine = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    theirs = admin_form_data(second_editor, _change_url(defence_pledge), "commitment_form")
    theirs["title"] = "Their title"
    assert second_editor.post(_change_url(defence_pledge), theirs).status_code == 302
    mine["title"] = "My title"
    response = editor_client.post(_change_url(defence_pledge), mine)
    assert response.status_code == 200
    assert "Someone else saved this commitment" in response.content.decode()
    assert Commitment.objects.get(pk=defence_pledge.pk).title == "Their title"


def test_it_saves_when_nobody_else_did(editor_client, defence_pledge):
    data = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    data["title"] = "My title"
    response = editor_client.post(_change_url(defence_pledge), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Commitment.objects.get(pk=defence_pledge.pk).title == "My title"


def test_an_update_recorded_meanwhile_counts_as_someone_elses_change(editor_client, defence_pledge, source):
    mine = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Started.",
            new_status="in_the_works",
        )
    )
    mine["title"] = "My title"
    response = editor_client.post(_change_url(defence_pledge), mine)
    assert "Someone else saved this commitment" in response.content.decode()
    assert Commitment.objects.get(pk=defence_pledge.pk).status == "in_the_works"


def test_it_records_a_status_update_inline_and_applies_it(editor_client, defence_pledge, source):
    data = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    data.update(
        {
            "updates-TOTAL_FORMS": "1",
            "updates-0-happened_on": "2025-10-24",
            "updates-0-happened_precision": "day",
            "updates-0-source": str(source.pk),
            "updates-0-note": "Deadline moved.",
            "updates-0-new_deadline": "2026-03-31",
            "updates-0-new_deadline_precision": "month",
            "updates-0-new_status": "in_the_works",
        }
    )
    response = editor_client.post(_change_url(defence_pledge), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    defence_pledge.refresh_from_db()
    assert (defence_pledge.deadline, defence_pledge.status) == (datetime.date(2026, 3, 31), "in_the_works")
    assert StatusUpdate.objects.get(commitment=defence_pledge).old_deadline == datetime.date(2028, 3, 31)


def test_it_refuses_a_backdated_revision(editor_client, defence_pledge, source):
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Moved.",
            new_deadline=datetime.date(2026, 3, 31),
            new_deadline_precision="month",
        )
    )
    response = editor_client.post(
        "/admin/tracker/statusupdate/add/",
        {
            "commitment": defence_pledge.pk,
            "happened_on": "2025-01-01",
            "happened_precision": "day",
            "source": source.pk,
            "note": "Backdated.",
            "new_deadline": "2027-03-31",
            "new_deadline_precision": "month",
        },
    )
    assert response.status_code == 200
    assert "already revises the deadline" in response.content.decode()
    assert Commitment.objects.get(pk=defence_pledge.pk).deadline == datetime.date(2026, 3, 31)


def test_it_refuses_to_rewrite_a_recorded_revision_but_lets_the_note_be_fixed(editor_client, defence_pledge, source):
    update = services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Moved.",
            new_deadline=datetime.date(2026, 3, 31),
            new_deadline_precision="month",
        )
    )
    url = f"/admin/tracker/statusupdate/{update.pk}/change/"
    data = admin_form_data(editor_client, url, "statusupdate_form")
    data["new_deadline"] = "2026-06-30"
    response = editor_client.post(url, data)
    assert "cannot be rewritten" in response.content.decode()
    data["new_deadline"] = "2026-03-31"
    data["note"] = "Moved to March 2026 in her first policy speech."
    assert editor_client.post(url, data).status_code == 302
    update.refresh_from_db()
    assert (update.note, update.new_deadline) == (
        "Moved to March 2026 in her first policy speech.",
        datetime.date(2026, 3, 31),
    )


def test_deleting_the_latest_revision_gives_the_old_value_back(editor_client, defence_pledge, source):
    first = services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Moved.",
            new_deadline=datetime.date(2026, 3, 31),
            new_deadline_precision="month",
        )
    )
    second = services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 11, 1),
            source=source,
            note="Moved again.",
            new_deadline=datetime.date(2026, 6, 30),
            new_deadline_precision="month",
        )
    )
    # The older one cannot go first: the admin offers no delete button for it.
    assert editor_client.get(f"/admin/tracker/statusupdate/{first.pk}/delete/").status_code == 403
    response = editor_client.post(f"/admin/tracker/statusupdate/{second.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    defence_pledge.refresh_from_db()
    assert defence_pledge.deadline == datetime.date(2026, 3, 31)


def test_it_marks_overdue_commitments_in_the_list(editor_client, make_commitment):
    make_commitment(title="Late one", deadline=datetime.date(2026, 3, 31), deadline_precision="month")
    html = editor_client.get("/admin/tracker/commitment/").content.decode()
    assert "OVERDUE" in html
