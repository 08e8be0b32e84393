import datetime

from tracker import services
from tracker.models import CommitmentLink, Quote, StatusUpdate


def test_it_shows_target_deadline_quotes_and_history(client, defence_pledge, source):
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge, happened_on=datetime.date(2025, 10, 24), source=source, note="Brought forward.",
            new_deadline=datetime.date(2026, 3, 31), new_deadline_precision="month",
        )
    )
    response = client.get("/commitments/defence-2pct-gdp/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2% of GDP, from about 1.8%" in html
    assert "by March 2026 (end of fiscal 2025)" in html
    assert "spend 2% of GDP on defence" in html
    assert "✓ verified in source" in html
    assert f'href="/sources/{source.pk}/"' in html
    assert "24 October 2025" in html
    assert "<del>fiscal 2027</del> → <ins>March 2026</ins>" in html


def test_it_marks_a_quote_missing_from_its_source(client, defence_pledge, source):
    quote = Quote.objects.create(text="Words nobody wrote", source=source)
    quote.commitments.add(defence_pledge)
    assert "not found in source" in client.get("/commitments/defence-2pct-gdp/").content.decode()


def test_it_links_related_commitments_both_ways(client, defence_pledge, make_commitment, usa, japan):
    demand = make_commitment(slug="us-demand", title="US call for 3.5% of GDP", pledged_by=usa, pledged_to=japan)
    CommitmentLink.objects.create(from_commitment=demand, to_commitment=defence_pledge, relation="answers")
    html = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert 'href="/commitments/us-demand/">US call for 3.5% of GDP</a> answers' in html


def test_it_answers_404_for_an_unknown_commitment(client, db):
    assert client.get("/commitments/no-such-thing/").status_code == 404


def test_it_runs_a_constant_number_of_queries(client, defence_pledge, source, django_assert_num_queries):
    for day in range(1, 15):
        services.record_update(
            StatusUpdate(commitment=defence_pledge, happened_on=datetime.date(2025, 10, day), source=source, note="x")
        )
        Quote.objects.create(text="hot truck", source=source).commitments.add(defence_pledge)
    with django_assert_num_queries(4):
        client.get("/commitments/defence-2pct-gdp/")
