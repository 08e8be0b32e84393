"""Every change is recorded with who, when and old → new values, and can be reverted from the admin."""

import pytest
from django.contrib.auth import get_user_model

from tracker.models import Commitment
from tracker.tests.admin_forms import admin_form_data
from tracker.tests.values import PASSWORD


@pytest.fixture
def superuser(db):
    """conftest's superuser (and so `editor_client`), with a name found nowhere else on the admin's pages."""
    return get_user_model().objects.create_superuser("hana", "", PASSWORD)


def _retitle(client, commitment, title):
    url = f"/admin/tracker/commitment/{commitment.pk}/change/"
    data = admin_form_data(client, url, "commitment_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    data["title"] = title
    assert client.post(url, data).status_code == 302


def test_it_records_who_changed_what_from_what_to_what(editor_client, defence_pledge):
    _retitle(editor_client, defence_pledge, "Defence: 2% of GDP")
    latest = Commitment.history.filter(id=defence_pledge.pk).latest("history_date")
    assert latest.history_user.username == "hana"
    delta = latest.diff_against(latest.prev_record)
    assert [(change.field, change.old, change.new) for change in delta.changes if change.field == "title"] == [
        ("title", "Defence spending of 2% of GDP", "Defence: 2% of GDP")
    ]
    html = editor_client.get(f"/admin/tracker/commitment/{defence_pledge.pk}/history/").content.decode()
    assert "hana" in html
    assert "Defence spending of 2% of GDP" in html and "Defence: 2% of GDP" in html


def test_it_reverts_to_an_earlier_version(editor_client, defence_pledge):
    _retitle(editor_client, defence_pledge, "A mistaken title")
    original = Commitment.history.filter(id=defence_pledge.pk).earliest("history_date")
    url = f"/admin/tracker/commitment/{defence_pledge.pk}/history/{original.history_id}/"
    data = admin_form_data(editor_client, url, "historicalcommitment_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Commitment.objects.get(pk=defence_pledge.pk).title == "Defence spending of 2% of GDP"
