"""Thousands of arbitrary requests at every public URL: every answer is 2xx, 3xx or 4xx, never a 5xx."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow  # over a thousand generated requests

PAGES = [
    "/",
    "/commitments/",
    "/commitments.csv",
    "/commitments.json",
    "/commitments/defence-2pct-gdp/",
    "/commitments/defence-2pct-gdp/feed/",
    "/sources/",
    "/sources/1/",
    "/quotes/1/context/",
    "/statuses/",
    "/methodology/",
    "/corrections/",
    "/corrections/feed/",
    "/changes/",
    "/changes.json",
    "/timeline/",
    "/timeline/2025/",
    "/timeline/2025/10/",
    "/timeline/feed/",
    "/sitemap.xml",
    "/robots.txt",
]
PARAMETERS = [
    "q",
    "kind",
    "status",
    "formality",
    "pledged_by",
    "pledged_to",
    "deadline",
    "has_target",
    "sort",
    "page",
    "as_of",
    "from",
    "to",
    "type",
    "party",
    "commitment",
    "more",
]
FUZZ = settings(
    max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Anything a URL can carry: unicode (no lone surrogates: they cannot be sent), controls, markup, huge numbers.
texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
values = st.one_of(
    texts,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "9" * 400,
            "2025-02-30",
            "2025-10-28T00:00",
            "<script>",
            "' OR 1=1 --",
            "%00",
            "\x00",
            "purchase",
            "kept",
            "defence_spending",
            "japan",
            "2025-10-20",
            "NaN",
            "1e9",
        ]
    ),
)
queries = st.dictionaries(st.one_of(st.sampled_from(PARAMETERS), texts.filter(bool)), values, max_size=6)


def _ok(response, what):
    assert response.status_code < 500, f"{response.status_code} for {what}"


@FUZZ
@given(page=st.sampled_from(PAGES), query=queries, htmx=st.booleans())
def test_no_query_string_causes_a_server_error(quiet_client, seeded, page, query, htmx):
    url = f"{page}?{urlencode(query)}"
    headers = {"HX-Request": "true"} if htmx else {}
    _ok(quiet_client.get(url, headers=headers), url)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    template=st.sampled_from(
        [
            "/commitments/{}/",
            "/commitments/{}/feed/",
            "/sources/{}/",
            "/quotes/{}/context/",
            "/timeline/{}/",
            "/timeline/2025/{}/",
            "/timeline/updates/{}/",
            "/{}",
            "/timeline/{}/{}/",
        ]
    ),
    segment=st.one_of(texts, st.integers(min_value=-(10**30), max_value=10**30).map(str)),
)
def test_no_path_segment_causes_a_server_error(quiet_client, seeded, template, segment):
    url = template.format(quote(segment, safe=""), quote(segment, safe=""))
    _ok(quiet_client.get(url), url)


@pytest.mark.parametrize(
    "raw",
    ["%ff%fe=%c0", "q=%E3%81", "page=%00", "as_of=%F0%9F%92%A9", "kind[]=x&kind[]=y", "&&&==", "q=" + "a" * 20000],
)
@pytest.mark.parametrize("page", ["/commitments/", "/timeline/", "/", "/commitments.csv", "/changes/"])
def test_malformed_query_strings_are_handled(quiet_client, seeded, page, raw):
    _ok(quiet_client.get(f"{page}?{raw}"), f"{page}?{raw}")
