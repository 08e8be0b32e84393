"""Editors in the admin: no silent overwrite, no rewritten history, nothing unsourced."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tracker import history, services
from tracker.models import Commitment, Source, StatusUpdate
from tracker.resources import CommitmentResource
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
    mine["change_reason"] = "An editor's correction."  # an edit of a published record says why
    theirs = admin_form_data(second_editor, _change_url(defence_pledge), "commitment_form")
    theirs["change_reason"] = "An editor's correction."  # an edit of a published record says why
    theirs["title"] = "Their title"
    assert second_editor.post(_change_url(defence_pledge), theirs).status_code == 302
    mine["title"] = "My title"
    response = editor_client.post(_change_url(defence_pledge), mine)
    assert response.status_code == 200
    assert "Someone else saved this commitment" in response.content.decode()
    assert Commitment.objects.get(pk=defence_pledge.pk).title == "Their title"


def test_it_saves_when_nobody_else_did(editor_client, defence_pledge):
    data = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    data["title"] = "My title"
    response = editor_client.post(_change_url(defence_pledge), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Commitment.objects.get(pk=defence_pledge.pk).title == "My title"


def test_an_update_recorded_meanwhile_counts_as_someone_elses_change(editor_client, defence_pledge, source):
    mine = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    mine["change_reason"] = "An editor's correction."  # an edit of a published record says why
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
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
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


def _move_deadline(commitment, source, day, deadline):
    return services.record_update(
        StatusUpdate(
            commitment=commitment,
            happened_on=day,
            source=source,
            note="Moved.",
            new_deadline=deadline,
            new_deadline_precision="month",
        )
    )


def test_it_back_fills_an_earlier_event_and_says_what_that_changed(editor_client, defence_pledge, source):
    later = _move_deadline(defence_pledge, source, datetime.date(2025, 11, 1), datetime.date(2026, 6, 30))
    response = editor_client.post(
        "/admin/tracker/statusupdate/add/",
        {
            "commitment": defence_pledge.pk,
            "happened_on": "2025-10-24",
            "happened_precision": "day",
            "source": source.pk,
            "note": "Found late: the first move.",
            "new_deadline": "2026-03-31",
            "new_deadline_precision": "month",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "The update of 1 November 2025 re-derived: deadline now from March 2026 (was from fiscal 2027)." in html
    assert "The current state of “Defence spending of 2% of GDP” is unchanged." in html
    later.refresh_from_db()
    assert later.old_deadline == datetime.date(2026, 3, 31)
    assert Commitment.objects.get(pk=defence_pledge.pk).deadline == datetime.date(2026, 6, 30)


def test_a_recorded_event_can_be_corrected_and_the_history_follows(editor_client, defence_pledge, source):
    first = _move_deadline(defence_pledge, source, datetime.date(2025, 10, 24), datetime.date(2026, 3, 31))
    later = _move_deadline(defence_pledge, source, datetime.date(2025, 11, 1), datetime.date(2026, 6, 30))
    url = f"/admin/tracker/statusupdate/{first.pk}/change/"
    data = admin_form_data(editor_client, url, "statusupdate_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    data["new_deadline"] = "2026-02-28"
    response = editor_client.post(url, data, follow=True)
    assert "deadline now from February 2026 (was from March 2026)" in response.content.decode()
    later.refresh_from_db()
    assert later.old_deadline == datetime.date(2026, 2, 28)


def test_deleting_the_first_event_gives_its_old_value_to_the_next(editor_client, defence_pledge, source):
    first = _move_deadline(defence_pledge, source, datetime.date(2025, 10, 24), datetime.date(2026, 3, 31))
    later = _move_deadline(defence_pledge, source, datetime.date(2025, 11, 1), datetime.date(2026, 6, 30))
    response = editor_client.post(f"/admin/tracker/statusupdate/{first.pk}/delete/", {"post": "yes"}, follow=True)
    assert "deadline now from fiscal 2027 (was from March 2026)" in response.content.decode()
    later.refresh_from_db()
    assert later.old_deadline == datetime.date(2028, 3, 31)
    assert Commitment.objects.get(pk=defence_pledge.pk).deadline == datetime.date(2026, 6, 30)


def test_two_inline_events_in_reverse_date_order_are_both_recorded(editor_client, defence_pledge, source):
    data = admin_form_data(editor_client, _change_url(defence_pledge), "commitment_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    for n, (day, deadline) in enumerate((("2025-11-01", "2026-06-30"), ("2025-10-24", "2026-03-31"))):
        data.update(
            {
                f"updates-{n}-happened_on": day,
                f"updates-{n}-happened_precision": "day",
                f"updates-{n}-source": str(source.pk),
                f"updates-{n}-note": "Moved.",
                f"updates-{n}-new_deadline": deadline,
                f"updates-{n}-new_deadline_precision": "month",
            }
        )
    data["updates-TOTAL_FORMS"] = "2"
    response = editor_client.post(_change_url(defence_pledge), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    first, later = StatusUpdate.objects.filter(commitment=defence_pledge).order_by("happened_on")
    assert (first.old_deadline, later.old_deadline) == (datetime.date(2028, 3, 31), datetime.date(2026, 3, 31))
    assert Commitment.objects.get(pk=defence_pledge.pk).deadline == datetime.date(2026, 6, 30)


def test_reverting_a_commitment_cannot_change_its_derived_state(editor_client, defence_pledge, source):
    original = Commitment.history.filter(id=defence_pledge.pk).earliest("history_date")
    _move_deadline(defence_pledge, source, datetime.date(2025, 10, 24), datetime.date(2026, 3, 31))
    url = f"/admin/tracker/commitment/{defence_pledge.pk}/history/{original.history_id}/"
    data = admin_form_data(editor_client, url, "historicalcommitment_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    data["summary"] = "Reverted summary."
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reverted = Commitment.objects.get(pk=defence_pledge.pk)
    assert reverted.summary == "Reverted summary."
    assert reverted.deadline == datetime.date(2026, 3, 31)  # not the fiscal 2027 of the old version
    assert history.problems() == []


def test_a_commitment_import_cannot_write_a_derived_value(defence_pledge, source):
    _move_deadline(defence_pledge, source, datetime.date(2025, 10, 24), datetime.date(2026, 3, 31))
    resource = CommitmentResource()
    dataset = resource.export()
    dataset.dict = [{**row, "deadline": "2028-03-31", "deadline_precision": "fiscal_year"} for row in dataset.dict]
    result = resource.import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert Commitment.objects.get(pk=defence_pledge.pk).deadline == datetime.date(2026, 3, 31)


def test_it_marks_overdue_commitments_in_the_list(editor_client, make_commitment):
    make_commitment(title="Late one", deadline=datetime.date(2026, 3, 31), deadline_precision="month")
    html = editor_client.get("/admin/tracker/commitment/").content.decode()
    assert "OVERDUE" in html
