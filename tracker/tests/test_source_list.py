import datetime

from tracker.models import Quote, Source


def test_it_lists_every_source_with_its_kind_people_date_and_counts(client, defence_pledge, source, make_commitment):
    Quote.objects.create(text="hot truck", source=source).commitments.add(defence_pledge, make_commitment())
    Source.objects.create(
        title="Takaichi, Trump agree",
        description="Summit report",
        kind="analysis",
        publisher="Kyodo",
        author="A. Writer",
        published_on=datetime.date(2025, 10, 1),
        published_precision="month",
        text="Text.",
    )
    response = client.get("/sources/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    titled, untitled = rows  # oldest first, undated last
    # Without a headline, our description stands in for it.
    assert f'<a href="/sources/{source.pk}/">A test article</a>' in untitled
    assert "News report" in untitled
    assert untitled.count("not stated in the text") == 2
    assert "date not stated" in untitled
    assert '<span class="label">Quotes:</span> 2' in untitled
    assert '<span class="label">Commitments:</span> 2' in untitled

    assert ">Takaichi, Trump agree</a>" in titled and "Summit report" in titled
    assert "News analysis" in titled and "Kyodo" in titled and "A. Writer" in titled
    assert "October 2025" in titled and "precise to the month" in titled
    assert '<span class="label">Quotes:</span> 0' in titled


def test_it_lists_the_seeded_sources(client, seeded):
    html = client.get("/sources/").content.decode()
    assert "5 sources" in html
    assert "Takaichi’s tightrope: Flatter Trump, don’t feed him" in html
    assert "Explainer written as the leaders met" in html


def test_it_runs_a_constant_number_of_queries(client, defence_pledge, make_commitment, django_assert_num_queries):
    for n in range(15):
        source = Source.objects.create(description=f"Article {n}", kind="news_report", text="hot truck")
        Quote.objects.create(text="hot truck", source=source).commitments.add(defence_pledge, make_commitment())
    with django_assert_num_queries(1):
        html = client.get("/sources/").content.decode()
    assert "16 sources" in html


def test_it_refuses_to_be_posted_to(client, db):
    assert client.post("/sources/").status_code == 405


def test_it_downloads_the_list_as_csv_and_json(client, seeded):
    import csv
    import io
    import json

    html = client.get("/sources/").content.decode()
    assert 'href="/sources.csv"' in html and 'href="/sources.json"' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/sources.csv").content.decode())))
    assert len(rows) == 5
    assert {row["seed_file"] for row in rows} == {
        f"{name}.txt"
        for name in (
            "000_4a676b109d3c1566",
            "001_d571241bd97aeba1",
            "002_319a6e469f81aadb",
            "003_f46852b532b3d29e",
            "004_79652632a185e195",
        )
    }
    data = json.loads(client.get("/sources.json").content)
    assert data["count"] == 5
    assert sum(row["quote_count"] for row in data["results"]) == 81
