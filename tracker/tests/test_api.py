"""The read API (/api/v1/): what it returns, its filters and pages, CORS, the rate limit, the cache, escaping."""

import datetime
import json

import pytest

from tracker import services
from tracker.models import StatusUpdate


def _json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_commitments_take_the_index_filters_and_pages(client, seeded):
    everything = _json(client, "/api/v1/commitments/")
    assert everything["count"] == 29 and everything["pages"] == 2 and len(everything["results"]) == 25
    assert everything["next"] == "http://testserver/api/v1/commitments/?page=2"
    second = _json(client, everything["next"])
    assert len(second["results"]) == 4 and second["previous"].endswith("page=1")
    slugs = {row["slug"] for row in everything["results"] + second["results"]}
    assert len(slugs) == 29
    purchases = _json(client, "/api/v1/commitments/?kind=purchase&sort=title")
    index = client.get("/commitments/?kind=purchase&sort=title").content.decode()
    assert purchases["filters"] == {"kind": "purchase", "sort": "title"}
    assert [row["title"] for row in purchases["results"]] == sorted(row["title"] for row in purchases["results"])
    assert all(f'href="/commitments/{row["slug"]}/"' in index for row in purchases["results"])
    assert index.count('<td><a href="/commitments/') == purchases["count"]
    assert _json(client, "/api/v1/commitments/?kind=nonsense")["ignored"] == ["Kind"]


def test_a_commitment_with_its_events_quotes_and_readings(client, seeded):
    item = _json(client, "/api/v1/commitments/defence-2pct-gdp/")
    assert item["title"] == "Defence spending of 2% of GDP"
    assert item["deadline"] == "2026-03-31" and item["deadline_precision"] == "month"
    assert any(change["what"] == "deadline" for event in item["events"] for change in event["changes"])
    assert all(event["url"].startswith("http://testserver/timeline/updates/") for event in item["events"])
    assert item["quotes"] and all(quote["source"]["url"].startswith("http://testserver/api/v1/sources/")
                                  for quote in item["quotes"])  # fmt: skip
    with_readings = _json(client, "/api/v1/commitments/investment-550bn/")
    assert {reading["country"] for reading in with_readings["readings"]} == {"JP", "US"}


def test_sources_timeline_and_changes(client, seeded):
    sources = _json(client, "/api/v1/sources/")
    assert sources["count"] == 5
    one = _json(client, sources["results"][0]["api_url"])
    assert len(one["text_sha256"]) == 64 and one["text"]
    assert all(quote["text"] in one["text"] or quote["text"] for quote in one["quotes"])
    timeline = _json(client, "/api/v1/timeline/?type=status")
    assert timeline["results"] and all(
        any(change["what"] == "status" for change in row["changes"]) for row in timeline["results"]
    )
    changes = _json(client, "/api/v1/changes/?from=2025-10-01&to=2025-10-31")
    html = _json(client, "/changes.json?from=2025-10-01&to=2025-10-31")
    assert changes["count"] == html["count"]
    assert [row["slug"] for row in changes["results"]] == [row["slug"] for row in html["results"]][:25]


def test_not_found_is_json(client, db):
    assert _json(client, "/api/v1/commitments/nope/", 404)["error"] == "No commitment has this slug."
    assert _json(client, "/api/v1/sources/99999999999999999999/", 404)["error"] == "No source has this id."
    assert _json(client, "/api/v1/sources/abc/", 404)
    assert "/api/v1/docs/" in _json(client, "/api/v1/nothing-here/", 404)["error"]


def test_any_site_may_read_it(client, db):
    response = client.get("/api/v1/commitments/", headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/v1/commitments/").status_code == 405  # read-only


def test_too_many_requests_from_one_address_is_a_clear_429(client, db, settings):
    settings.TRACKER_API_RATE_LIMIT = 3
    for _attempt in range(3):
        assert client.get("/api/v1/sources/").status_code == 200
    response = client.get("/api/v1/sources/")
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 61
    body = json.loads(response.content)
    assert body["error"].startswith("Too many requests: at most 3 a minute from one address.")
    assert response["Access-Control-Allow-Origin"] == "*"
    other = client.get("/api/v1/sources/", REMOTE_ADDR="192.0.2.7")  # another reader is not held back
    assert other.status_code == 200


def test_the_api_goes_through_the_page_cache(client, seeded, django_assert_max_num_queries):
    first = client.get("/api/v1/commitments/?kind=purchase")
    with django_assert_max_num_queries(0):
        again = client.get("/api/v1/commitments/?kind=purchase")
    assert again.content == first.content
    assert client.get("/api/v1/commitments/?kind=purchase", headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.get("/api/v1/commitments/?junk=1").status_code == 301


@pytest.mark.parametrize("url", ["/api/v1/commitments/", "/api/v1/commitments/?q=x&status=kept", "/api/v1/timeline/",
                                 "/api/v1/changes/", "/api/v1/sources/"])  # fmt: skip
def test_a_constant_number_of_queries(client, seeded, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(url)


def test_hostile_text_is_escaped(client, make_commitment, source):
    evil = make_commitment(slug="evil", title="</script><script>alert(1)</script>&")
    services.record_update(
        StatusUpdate(commitment=evil, happened_on=datetime.date(2025, 10, 1), source=source, note="<img src=x>")
    )
    hostile = "</script><script>alert(1)</script>&"
    for url in ("/api/v1/commitments/", "/api/v1/commitments/evil/", "/api/v1/timeline/"):
        body = client.get(url).content.decode()
        assert "<" not in body and ">" not in body and "&" not in body  # \u003c…: inert if pasted into HTML
    # and the same text once parsed
    assert json.loads(client.get("/api/v1/commitments/").content)["results"][0]["title"] == hostile
    assert json.loads(client.get("/api/v1/commitments/evil/").content)["events"][0]["note"] == "<img src=x>"


def test_the_documentation_page_is_rendered_from_the_schema_and_linked(client, seeded):
    page = client.get("/api/v1/docs/").content.decode()
    schema = _json(client, "/api/v1/schema/")
    for path, operation in schema["paths"].items():
        assert f"GET {path}" in page
        assert operation["get"]["summary"] in page
    assert "<code>needs_review</code>" in page  # a filter's values, from the schema
    assert "cdn" not in page.lower()
    assert 'href="/api/v1/docs/"' in client.get("/commitments/").content.decode()
