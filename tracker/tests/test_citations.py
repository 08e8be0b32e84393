""" "Cite this": the text citation, its permanent link, and the CSL-JSON and BibTeX downloads, parsed."""

import datetime
import json

import bibtexparser
import pytest

from tracker.tests.conftest import TODAY

# The CSL schema (citation-style-language/schema, csl-data.json): an item must have "id" (string or number) and
# "type" (one of these); names are objects; dates are {"date-parts": [[year, month?, day?]]}.
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast", "chapter",
    "classic", "collection", "dataset", "document", "entry", "entry-dictionary", "entry-encyclopedia", "event",
    "figure", "graphic", "hearing", "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical", "personal_communication",
    "post", "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech", "standard",
    "thesis", "treaty", "webpage",
}  # fmt: skip
CSL_STRINGS = {"title", "container-title", "URL", "note"}
CSL_DATES = {"issued", "accessed"}


def _check_csl(items) -> dict:
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    assert isinstance(item["id"], str | int)
    assert item["type"] in CSL_TYPES
    for field in CSL_STRINGS & item.keys():
        assert isinstance(item[field], str)
    for field in CSL_DATES & item.keys():
        (parts,) = item[field]["date-parts"]
        assert 1 <= len(parts) <= 3 and all(isinstance(part, int) for part in parts)
    for name in item.get("author", []):
        assert isinstance(name, dict) and set(name) <= {"family", "given", "literal"}
    return item


def _bibtex(client, url) -> bibtexparser.model.Entry:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    return entry


def _csl(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json"
    return _check_csl(json.loads(response.content))


@pytest.fixture
def cited(history, fixed_today):
    return history


def test_a_commitment_page_says_how_to_cite_the_state_it_shows(client, cited):
    page = client.get("/commitments/defence-2pct-gdp/?as_of=2025-10-20").content.decode()
    assert "Cite this" in page
    assert (
        "Japan–US commitments tracker. “Defence spending of 2% of GDP” (as of 20 October 2025). "
        "http://testserver/commitments/defence-2pct-gdp/?as_of=2025-10-20. "
        f"Retrieved {TODAY.day} {TODAY:%B %Y}."
    ) in page
    assert 'href="/commitments/defence-2pct-gdp/cite.bib?as_of=2025-10-20"' in page
    assert 'href="/commitments/defence-2pct-gdp/cite.json?as_of=2025-10-20"' in page
    # without as_of, the permanent link pins today's state
    today_page = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert f"http://testserver/commitments/defence-2pct-gdp/?as_of={TODAY.isoformat()}" in today_page


def test_commitment_citations_parse_as_bibtex_and_csl_json(client, cited):
    entry = _bibtex(client, "/commitments/defence-2pct-gdp/cite.bib?as_of=2025-10-20")
    assert entry.entry_type == "misc"
    assert entry["title"] == r"Defence spending of 2\% of GDP"  # % escaped: LaTeX would read it as a comment
    assert entry["url"] == "http://testserver/commitments/defence-2pct-gdp/?as_of=2025-10-20"
    assert entry["urldate"] == TODAY.isoformat()
    item = _csl(client, "/commitments/defence-2pct-gdp/cite.json?as_of=2025-10-20")
    assert item["title"] == "Defence spending of 2% of GDP"
    assert item["issued"] == {"date-parts": [[2025, 10, 20]]}
    assert item["accessed"] == {"date-parts": [[TODAY.year, TODAY.month, TODAY.day]]}


def test_a_citation_as_of_a_day_cites_the_title_of_that_day(client, cited, make_commitment):
    from tracker import services
    from tracker.models import StatusUpdate

    services.record_update(
        StatusUpdate(
            commitment=cited["moved"].commitment,
            happened_on=datetime.date(2025, 11, 5),
            source=cited["source"],
            note="Renamed.",
            new_title="Defence spending of 2% of GDP by March 2026",
        )
    )
    assert _csl(client, "/commitments/defence-2pct-gdp/cite.json?as_of=2025-10-20")["title"] == (
        "Defence spending of 2% of GDP"
    )
    assert _csl(client, "/commitments/defence-2pct-gdp/cite.json")["title"].endswith("by March 2026")
    assert client.get("/commitments/defence-2pct-gdp/cite.json?as_of=1990-01-01").status_code == 404


def test_a_source_page_says_how_to_cite_it(client, cited):
    source = cited["source"]
    source.title, source.publisher, source.author = "Tokyo {pledges} 100% & more", "Kyodo", "A. Writer"
    source.save()
    page = client.get(f"/sources/{source.pk}/").content.decode()
    assert "Cite this" in page
    assert f'href="/sources/{source.pk}/cite.bib"' in page
    entry = _bibtex(client, f"/sources/{source.pk}/cite.bib")
    assert entry.entry_type == "article"
    assert entry["title"] == r"Tokyo \{pledges\} 100\% \& more"
    assert entry["journal"] == "Kyodo"
    item = _csl(client, f"/sources/{source.pk}/cite.json")
    assert item["type"] == "article-newspaper"
    assert item["title"] == "Tokyo {pledges} 100% & more"
    assert item["issued"] == {"date-parts": [[2025, 10]]}  # published "October 2025": no day invented
    assert item["author"] == [{"literal": "A. Writer"}]


def test_hostile_titles_stay_inert_in_every_citation_format(client, make_commitment, fixed_today):
    hostile = '}, author = {Evil} @misc{x, <script>alert(1)</script> \\ "'
    make_commitment(slug="evil", title=hostile)
    page = client.get("/commitments/evil/").content.decode()
    assert "<script>alert(1)" not in page
    entry = _bibtex(client, "/commitments/evil/cite.bib")
    assert entry["author"] == "{Japan–US commitments tracker}"
    assert "Evil" in entry["title"]
    body = client.get("/commitments/evil/cite.json").content.decode()
    assert "<script>" not in body  # JSON escapes < > & as \u003c…
    assert _check_csl(json.loads(body))["title"] == hostile


def test_unknown_things_have_no_citation(client, db):
    assert client.get("/commitments/nope/cite.bib").status_code == 404
    assert client.get("/sources/999/cite.json").status_code == 404
    assert client.get("/commitments/nope/cite.json?as_of=junk").status_code == 404
