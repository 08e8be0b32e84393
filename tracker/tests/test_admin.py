import datetime

import pytest
from django.contrib.auth import get_user_model

from tracker.models import Commitment, Quote, StatusUpdate

ADMIN_PAGES = ["actor", "source", "commitment", "commitmentlink", "quote", "statusupdate"]


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get("/admin/tracker/commitment/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_keeps_non_staff_users_out(client, db):
    user = get_user_model().objects.create_user("reader", "", "a-long-password-123")
    client.force_login(user)
    assert client.get("/admin/tracker/commitment/").status_code == 302


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_it_lists_searches_and_adds_every_model(editor_client, defence_pledge, model):
    assert editor_client.get(f"/admin/tracker/{model}/").status_code == 200
    assert editor_client.get(f"/admin/tracker/{model}/", {"q": "defence"}).status_code == 200
    assert editor_client.get(f"/admin/tracker/{model}/add/").status_code == 200


def test_it_shows_a_commitment_with_its_quotes_and_updates_inline(editor_client, defence_pledge):
    html = editor_client.get(f"/admin/tracker/commitment/{defence_pledge.pk}/change/").content.decode()
    assert "Supporting quotes" in html
    assert "Status updates" in html
    assert f"/admin/tracker/commitment/{defence_pledge.pk}/history/" in html


def test_it_shows_the_history_page(editor_client, defence_pledge):
    assert editor_client.get(f"/admin/tracker/commitment/{defence_pledge.pk}/history/").status_code == 200


def test_it_refuses_a_quote_that_is_not_in_its_source(editor_client, defence_pledge, source):
    response = editor_client.post(
        "/admin/tracker/quote/add/",
        {"text": "Japan will spend 5% of GDP", "source": source.pk, "commitments": [defence_pledge.pk]},
    )
    assert response.status_code == 200
    assert "not found in the source" in response.content.decode()
    assert not Quote.objects.filter(text__contains="5% of GDP").exists()


def test_it_records_a_deadline_revision_through_the_service(editor_client, defence_pledge, source):
    response = editor_client.post(
        "/admin/tracker/statusupdate/add/",
        {
            "commitment": defence_pledge.pk,
            "happened_on": "2025-10-24",
            "happened_precision": "day",
            "source": source.pk,
            "note": "Deadline brought forward to March 2026.",
            "new_deadline": "2026-03-31",
            "new_deadline_precision": "month",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    defence_pledge.refresh_from_db()
    assert defence_pledge.deadline == datetime.date(2026, 3, 31)
    update = StatusUpdate.objects.get(commitment=defence_pledge)
    assert update.old_deadline == datetime.date(2028, 3, 31)


def test_it_refuses_a_status_change_without_a_source_with_a_readable_error(editor_client, defence_pledge):
    response = editor_client.post(
        "/admin/tracker/statusupdate/add/",
        {
            "commitment": defence_pledge.pk,
            "happened_on": "2025-10-24",
            "happened_precision": "day",
            "note": "Kept.",
            "new_status": "kept",
        },
    )
    assert response.status_code == 200
    assert "A status change needs a source." in response.content.decode()
    assert Commitment.objects.get(pk=defence_pledge.pk).status == "not_rated"


def test_it_shows_the_nearest_passage_of_a_quote_that_is_not_in_its_source(editor_client, defence_pledge, source):
    response = editor_client.post(
        "/admin/tracker/quote/add/",
        {"text": "Trump said: That is a hot truck.", "source": source.pk, "commitments": [defence_pledge.pk]},
    )
    html = response.content.decode()
    assert "not found in the source" in html
    assert "Nearest passage in the source: “Trump said: ‘That’s a hot truck.’”" in html


def test_it_accepts_a_quote_found_in_its_source(editor_client, defence_pledge, source):
    response = editor_client.post(
        "/admin/tracker/quote/add/",
        {"text": "That’s a hot truck.", "source": source.pk, "commitments": [defence_pledge.pk]},
    )
    assert response.status_code == 302
    assert Quote.objects.get(text="That’s a hot truck.").is_verified
