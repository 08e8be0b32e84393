import csv
import datetime
import io
import json

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


def _sources(count: int, start: int, defence_pledge, make_commitment, kind: str = "news_report") -> None:
    for n in range(start, start + count):
        source = Source.objects.create(description=f"Article {n}", kind=kind, text="hot truck")
        Quote.objects.create(text="hot truck", source=source).commitments.add(defence_pledge, make_commitment())


def test_it_runs_a_constant_number_of_queries(client, defence_pledge, make_commitment, django_assert_num_queries):
    """The count and the page: two queries, whether the list holds 15 sources or 120 (three pages)."""
    _sources(15, 0, defence_pledge, make_commitment)
    with django_assert_num_queries(2):
        html = client.get("/sources/").content.decode()
    assert "16 sources" in html
    _sources(105, 15, defence_pledge, make_commitment)
    with django_assert_num_queries(2):
        html = client.get("/sources/?page=2").content.decode()
    assert "121 sources, page 2 of 3" in html


def test_it_is_paginated_so_the_page_stays_small_however_many_sources(client, source, defence_pledge, make_commitment):
    _sources(120, 0, defence_pledge, make_commitment)
    first = client.get("/sources/").content.decode()
    rows = first.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == 50
    assert "121 sources, page 1 of 3" in first
    assert '<a rel="next" href="?page=2">Next →</a>' in first
    last = client.get("/sources/?page=3").content.decode()
    assert last.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") == 21
    assert '<a rel="prev" href="?page=2">← Previous</a>' in last
    # A page that does not exist shows the last one, and says so.
    beyond = client.get("/sources/?page=99").content.decode()
    assert "That page does not exist: showing page 3." in beyond
    # Every page of 50 rows weighs about the same: far under 100 KB.
    assert len(client.get("/sources/?page=2").content) < 100_000


def test_it_filters_by_kind_and_words_and_the_downloads_follow(client, source, defence_pledge, make_commitment):
    _sources(3, 0, defence_pledge, make_commitment, kind="opinion")
    Source.objects.create(description="Kyodo on soybeans", publisher="Kyodo", kind="analysis", text="Text.")
    html = client.get("/sources/?kind=opinion").content.decode()
    assert "3 sources" in html and "Article 2" in html and "Kyodo on soybeans" not in html
    html = client.get("/sources/?q=kyodo+soybeans").content.decode()
    assert "1 source<" in html and "Kyodo on soybeans" in html
    assert 'href="/sources.csv?q=kyodo+soybeans"' in html
    html = client.get("/sources/?q=kyodo+opinion").content.decode()
    assert "No source matches these filters." in html
    # A kind the page does not know is ignored, and named.
    html = client.get("/sources/?kind=rumour").content.decode()
    assert "Not understood, so ignored: Kind." in html and "5 sources" in html
    assert [row["description"] for row in csv.DictReader(io.StringIO(_body(client, "/sources.csv?kind=opinion")))] == [
        "Article 0",
        "Article 1",
        "Article 2",
    ]
    data = json.loads(_body(client, "/sources.json?q=kyodo"))
    assert data["count"] == 1 and data["results"][0]["publisher"] == "Kyodo"


def _body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_it_refuses_to_be_posted_to(client, db):
    assert client.post("/sources/").status_code == 405


def test_it_downloads_the_list_as_csv_and_json(client, seeded):
    html = client.get("/sources/").content.decode()
    assert 'href="/sources.csv"' in html and 'href="/sources.json"' in html
    rows = list(csv.DictReader(io.StringIO(_body(client, "/sources.csv"))))
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
    data = json.loads(_body(client, "/sources.json"))
    assert data["count"] == 5
    assert sum(row["quote_count"] for row in data["results"]) == 81
