import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest

from tracker import caching, services
from tracker.models import Quote, Status, StatusUpdate

pytestmark = pytest.mark.usefixtures("fixed_today")


def _titles(response) -> list[str]:
    """The titles in the results table, in order."""
    return re.findall(r'<td><a href="/commitments/[^"]+/(?:\?as_of=[^"]*)?">([^<]*)</a>', response.content.decode())


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


def test_it_filters_by_kind_and_counts_each_kind_beside_it(client, defence_pledge, make_commitment):
    make_commitment(title="Buy American soybeans", kind="purchase")
    make_commitment(title="Buy American LNG", kind="purchase")
    response = client.get("/commitments/", {"kind": "purchase"})
    assert _titles(response) == ["Buy American LNG", "Buy American soybeans"]
    html = response.content.decode()
    assert "2 commitments" in html
    assert ">Purchase (2)</option>" in html
    assert ">Defence spending (1)</option>" in html


def test_facet_counts_apply_every_other_filter(client, make_commitment):
    make_commitment(kind="purchase", status=Status.KEPT)
    make_commitment(kind="purchase", status=Status.IN_THE_WORKS)
    make_commitment(kind="investment", status=Status.KEPT)
    html = client.get("/commitments/", {"status": "kept"}).content.decode()
    assert ">Purchase (1)</option>" in html
    assert ">Investment (1)</option>" in html
    # The status facet ignores the status filter itself, so the other statuses stay reachable.
    assert ">In the works (1)</option>" in html
    assert ">Kept (2)</option>" in html


def test_it_filters_by_who_pledged_and_to_whom(client, defence_pledge, make_commitment, usa, japan):
    make_commitment(title="US call for 3.5%", pledged_by=usa, pledged_to=japan)
    assert _titles(client.get("/commitments/", {"pledged_by": "united-states"})) == ["US call for 3.5%"]
    assert _titles(client.get("/commitments/", {"pledged_to": "united-states"})) == ["Defence spending of 2% of GDP"]


@pytest.mark.parametrize(
    "window, expected",
    [
        ("overdue", ["Passed, open"]),
        ("next_90_days", ["Due soon"]),
        ("later", ["Due later"]),
        ("passed_settled", ["Passed, kept"]),
        ("none", ["Undated"]),
    ],
)
def test_it_filters_by_deadline_window(client, make_commitment, window, expected):
    make_commitment(title="Passed, open", deadline=datetime.date(2026, 3, 31), deadline_precision="month")
    make_commitment(
        title="Passed, kept", deadline=datetime.date(2026, 3, 31), deadline_precision="month", status="kept"
    )
    make_commitment(title="Due soon", deadline=datetime.date(2026, 12, 31), deadline_precision="month")
    make_commitment(title="Due later", deadline=datetime.date(2027, 12, 31), deadline_precision="year")
    make_commitment(title="Undated")
    assert _titles(client.get("/commitments/", {"deadline": window})) == expected


def test_it_filters_by_numeric_target(client, defence_pledge, make_commitment):
    make_commitment(title="No figure")
    assert _titles(client.get("/commitments/", {"has_target": "yes"})) == ["Defence spending of 2% of GDP"]
    assert _titles(client.get("/commitments/", {"has_target": "no"})) == ["No figure"]


def test_it_searches_titles_summaries_and_quotes(client, defence_pledge, make_commitment, source):
    make_commitment(title="Rare earths framework", summary="Securing critical minerals.")
    trucks = make_commitment(title="Pick-up trucks")
    Quote.objects.create(text="That’s a hot truck.", source=source).commitments.add(trucks)
    assert _titles(client.get("/commitments/", {"q": "rare earths"})) == ["Rare earths framework"]
    assert _titles(client.get("/commitments/", {"q": "minerals"})) == ["Rare earths framework"]
    assert _titles(client.get("/commitments/", {"q": "hot truck"})) == ["Pick-up trucks"]
    assert _titles(client.get("/commitments/", {"q": "nothing-like-this"})) == []


def test_it_sorts_by_deadline_last_update_or_title(client, make_commitment, source):
    later = make_commitment(title="A later", deadline=datetime.date(2027, 12, 31), deadline_precision="year")
    make_commitment(title="B sooner", deadline=datetime.date(2026, 12, 31), deadline_precision="year")
    make_commitment(title="C undated")
    services.record_update(
        StatusUpdate(commitment=later, happened_on=datetime.date(2025, 11, 1), source=source, note="x")
    )
    assert _titles(client.get("/commitments/")) == ["B sooner", "A later", "C undated"]
    assert _titles(client.get("/commitments/", {"sort": "title"})) == ["A later", "B sooner", "C undated"]
    assert _titles(client.get("/commitments/", {"sort": "updated"}))[0] == "A later"


def test_it_pages_results_and_keeps_the_filters_in_page_links(client, make_commitment):
    for n in range(30):
        make_commitment(title=f"Purchase {n:02}", kind="purchase")
    response = client.get("/commitments/", {"kind": "purchase", "sort": "title"})
    assert len(_titles(response)) == 25
    html = response.content.decode()
    assert "page 1 of 2" in html
    assert 'href="?kind=purchase&amp;sort=title&amp;page=2"' in html
    assert _titles(client.get("/commitments/", {"kind": "purchase", "sort": "title", "page": "2"}))[0] == "Purchase 25"


@pytest.mark.parametrize("page", ["999", "abc", "-1", "1e9"])
def test_it_shows_a_real_page_and_says_so_for_an_impossible_page_number(client, defence_pledge, page):
    response = client.get("/commitments/", {"page": page})
    assert response.status_code == 200
    assert "That page does not exist" in response.content.decode()


def test_it_returns_only_the_browser_to_htmx(client, defence_pledge):
    response = client.get("/commitments/", {"kind": "defence_spending"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="commitment-browser"')
    assert "<html" not in html
    assert 'value="defence_spending" selected' in html
    assert "HX-Request" in response["Vary"]


def test_it_tells_htmx_to_show_only_the_filters_in_use_in_the_address_bar(client, defence_pledge):
    response = client.get(
        "/commitments/", {"q": "", "kind": "defence_spending", "status": ""}, headers={"HX-Request": "true"}
    )
    assert response["HX-Push-Url"] == "/commitments/?kind=defence_spending"
    response = client.get("/commitments/", {"q": "", "kind": ""}, headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == "/commitments/"


def test_it_returns_the_whole_page_to_a_history_restore(client, defence_pledge):
    response = client.get("/commitments/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_it_ignores_unknown_filter_values_with_a_message(client, defence_pledge):
    response = client.get("/commitments/", {"kind": "<script>alert(1)</script>", "status": "nonsense", "sort": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not understood, so ignored: Kind, Status, Sort by." in html
    assert "Defence spending of 2% of GDP" in html
    assert "<script>alert(1)</script>" not in html


def test_it_escapes_stored_html(client, make_commitment):
    make_commitment(title='"><img src=x onerror=alert(1)>')
    html = client.get("/commitments/").content.decode()
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_refuses_to_write(client, db):
    assert client.post("/commitments/").status_code == 405
    assert client.post("/commitments.csv").status_code == 405


def test_it_downloads_the_same_results_as_csv(client, defence_pledge, make_commitment):
    make_commitment(title='=HYPERLINK("http://evil")', kind="purchase")
    make_commitment(title="Buy soybeans", kind="purchase", unit="usd", target_value=Decimal("1000000000"))
    html = client.get("/commitments/", {"kind": "purchase"}).content.decode()
    assert 'href="/commitments.csv?kind=purchase"' in html
    response = client.get("/commitments.csv", {"kind": "purchase"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["title"] for row in rows] == ['\'=HYPERLINK("http://evil")', "Buy soybeans"]
    assert rows[1]["target"] == "$1 billion"
    assert rows[1]["target_value"] == "1000000000"


def test_it_downloads_the_same_results_as_json(client, defence_pledge, make_commitment):
    make_commitment(title="Buy soybeans", kind="purchase")
    data = json.loads(client.get("/commitments.json", {"kind": "defence_spending", "status": "bogus"}).content)
    assert data["count"] == 1
    assert data["filters"] == {"kind": "defence_spending"}
    assert data["ignored"] == ["Status"]
    row = data["results"][0]
    assert row["slug"] == "defence-2pct-gdp"
    assert row["target_value"] == "2"
    assert row["deadline"] == "2028-03-31"
    assert row["deadline_in_words"] == "by fiscal 2027 (ends 31 March 2028)"
    assert row["url"] == "http://testserver/commitments/defence-2pct-gdp/"


def test_it_runs_the_same_queries_whatever_the_number_of_commitments(
    client, make_commitment, django_assert_num_queries
):
    # actors, the search's matches (read once, then reused by the queries that filter on it: see
    # CommitmentFilter.filter_search), the facets and the page's count in one pass, the two "pledged" facets, and the
    # page itself (CommitmentFilter.facet_counts)
    make_commitment()
    with django_assert_num_queries(6):
        client.get("/commitments/", {"q": "commitment", "kind": "defence_spending"})
    for _ in range(40):
        make_commitment()  # each save a new data version: nothing is kept from before
    with django_assert_num_queries(6):
        client.get("/commitments/", {"q": "commitment", "kind": "defence_spending"})
    # The actors are kept for the data version: the facets of another filter, and the page
    with django_assert_num_queries(4):
        html = client.get("/commitments/", {"kind": "defence_spending"}).content.decode()
    # The facets (and the count) of a filter set are kept too: another page or order of it reads only its rows
    with django_assert_num_queries(1):
        other = client.get("/commitments/", {"kind": "defence_spending", "page": "2", "sort": "title"})
    facets = re.findall(r"<option[^>]*>[^<]*\(\d+\)</option>", html)
    assert facets and facets == re.findall(r"<option[^>]*>[^<]*\(\d+\)</option>", other.content.decode())
    assert "41 commitments, page 2 of 2" in other.content.decode()


def test_it_exports_in_three_queries_whatever_the_number_of_rows(
    client, make_commitment, django_assert_num_queries, monkeypatch
):
    """The actors (kept for the data version, so read by the first download only), the ordered ids of the matching
    rows (the JSON's count), and the rows by batches of ids (tracker.exports.in_batches); the JSON also reads the
    readings of each batch. The same with 30 commitments as with 60, streamed or not."""
    for _ in range(30):
        make_commitment()
    for _ in range(2):
        with django_assert_num_queries(3):
            _download(client, "/commitments.csv")
        with django_assert_num_queries(3):
            _download(client, "/commitments.json")
        for _ in range(30):
            make_commitment()
        monkeypatch.setattr(caching, "STREAM_BUFFER_BYTES", 100)


def _download(client, url: str, params: dict | None = None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def test_a_large_download_streams_the_same_bytes_a_small_one_is_served_whole_and_cached(
    client, seeded, monkeypatch, django_assert_num_queries
):
    """Up to STREAM_BUFFER_BYTES a download is answered whole (and cached like a page); beyond, it is sent as it is
    read. The bytes are the same either way, and so are the headers that matter."""
    whole = {}
    for url in ("/commitments.csv", "/commitments.json", "/sources.csv", "/sources.json"):
        response, body = _download(client, url, {"kind": "purchase"} if "commitments" in url else None)
        assert not response.streaming
        whole[url] = (body, response["Content-Type"], response.get("Content-Disposition"), response["ETag"])
        with django_assert_num_queries(0):  # cached: no query at all
            again = client.get(url, {"kind": "purchase"} if "commitments" in url else None)
        assert again.content == body
    monkeypatch.setattr(caching, "STREAM_BUFFER_BYTES", 200)
    caching.data_changed()  # nothing cached: every download renders again
    for url, (body, content_type, disposition, etag) in whole.items():
        response, streamed = _download(client, url, {"kind": "purchase"} if "commitments" in url else None)
        assert response.streaming
        assert streamed == body
        assert response["Content-Type"] == content_type and response.get("Content-Disposition") == disposition
        assert response["ETag"] != etag  # a new data version, a new ETag, as for a page
        # A conditional request with that ETag: 304, nothing rendered.
        with django_assert_num_queries(0):
            not_modified = client.get(
                url, {"kind": "purchase"} if "commitments" in url else None, headers={"if-none-match": response["ETag"]}
            )
        assert not_modified.status_code == 304
    rows = list(csv.DictReader(io.StringIO(whole["/commitments.csv"][0].decode())))
    assert rows and {row["kind"] for row in rows} == {"purchase"}


def test_each_facet_lists_its_empty_choice_once(client, seeded):
    html = client.get("/commitments/").content.decode()
    assert len(re.findall(r'<option value=""( selected)?>Any kind</option>', html)) == 1
    assert len(re.findall(r'<option value=""( selected)?>Anyone</option>', html)) == 2  # pledged by, pledged to


@pytest.mark.parametrize("page_cache", [True, False])
def test_the_facet_counts_kept_for_a_filter_set_follow_every_edit(client, make_commitment, settings, page_cache):
    settings.TRACKER_PAGE_CACHE = page_cache
    make_commitment()
    make_commitment()
    assert "Defence spending (2)" in client.get("/commitments/", {"sort": "title"}).content.decode()
    commitment = make_commitment()
    html = client.get("/commitments/", {"page": "1"}).content.decode()
    assert "Defence spending (3)" in html and "3 commitments" in html
    commitment.kind = "investment"
    commitment.save()
    html = client.get("/commitments/", {"page": "1"}).content.decode()
    assert "Defence spending (2)" in html and "Investment (1)" in html


def test_the_filter_form_kept_for_the_data_version_shows_what_each_reader_asked_in_their_language(
    client, make_commitment, settings
):
    settings.TRACKER_PAGE_CACHE = False  # every request renders; the form's HTML is kept under the data version
    make_commitment()
    alpha = client.get("/commitments/", {"q": "alpha"}).content.decode()
    beta = client.get("/commitments/", {"q": "beta"}).content.decode()
    alpha_again = client.get("/commitments/", {"q": "alpha", "page": "2"}).content.decode()
    assert 'value="alpha"' in alpha and 'value="alpha"' not in beta and 'value="beta"' in beta
    assert 'value="alpha"' in alpha_again and 'value="beta"' not in alpha_again
    # What the form rejects is still shown as typed: the menu falls back to "Any kind", the search box keeps its text
    odd = client.get("/commitments/", {"q": "<b>", "kind": "nonsense"}).content.decode()
    assert 'value="&lt;b&gt;"' in odd and "<b>" not in odd.split("</form>")[0]
    english_menu = re.search(r'<select name="kind".*?</select>', alpha, re.S)
    japanese = client.get("/ja/commitments/", {"q": "alpha"}).content.decode()
    japanese_menu = re.search(r'<select name="kind".*?</select>', japanese, re.S)
    assert english_menu and japanese_menu and "Any kind" in english_menu[0] and "Any kind" not in japanese_menu[0]
