import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.models import Status


def test_it_lists_commitments_with_target_deadline_and_status(client, defence_pledge, make_commitment):
    make_commitment(title="Buy American soybeans", kind="purchase", status=Status.IN_THE_WORKS)
    response = client.get("/commitments/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Defence spending of 2% of GDP" in html
    assert "2% of GDP, from about 1.8%" in html
    assert "by fiscal 2027 (ends 31 March 2028)" in html
    assert "Buy American soybeans" in html
    assert "In the works" in html


def test_it_filters_by_kind(client, defence_pledge, make_commitment):
    make_commitment(title="Buy American soybeans", kind="purchase")
    html = client.get("/commitments/", {"kind": "purchase"}).content.decode()
    assert "Buy American soybeans" in html
    assert "Defence spending of 2% of GDP" not in html
    assert "1 commitment<" in html


def test_it_returns_only_the_results_to_htmx(client, defence_pledge):
    response = client.get("/commitments/", {"kind": "defence_spending"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_it_returns_the_whole_page_to_a_history_restore(client, defence_pledge):
    response = client.get("/commitments/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_it_ignores_an_unknown_filter_value_with_a_message(client, defence_pledge):
    response = client.get("/commitments/", {"kind": "<script>alert(1)</script>", "status": "nonsense"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "were not understood and were ignored" in html
    assert "Defence spending of 2% of GDP" in html
    assert "<script>alert(1)</script>" not in html


def test_it_escapes_stored_html(client, make_commitment):
    make_commitment(title='"><img src=x onerror=alert(1)>')
    html = client.get("/commitments/").content.decode()
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_refuses_to_write(client):
    assert client.post("/commitments/").status_code == 405


def test_it_runs_the_same_number_of_queries_whatever_the_number_of_commitments(client, make_commitment):
    make_commitment()
    with CaptureQueriesContext(connection) as few:
        client.get("/commitments/")
    for _ in range(20):
        make_commitment()
    with CaptureQueriesContext(connection) as many:
        client.get("/commitments/")
    assert len(few) == len(many)


def test_it_runs_two_queries(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/commitments/")


def test_it_lists_the_nearest_deadline_first_and_undated_ones_last(client, make_commitment):
    make_commitment(title="Undated")
    make_commitment(title="Later", deadline=datetime.date(2026, 12, 31), deadline_precision="year")
    make_commitment(title="Sooner", deadline=datetime.date(2026, 3, 31), deadline_precision="month")
    html = client.get("/commitments/").content.decode()
    assert html.index("Sooner") < html.index("Later") < html.index("Undated")
