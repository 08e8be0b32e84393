"""The pieces added for speed at scale: same output, same behaviour (see docs/performance.md)."""

import importlib
import re

import pytest
from django import forms
from django.test import override_settings
from django.urls import clear_url_caches

from tracker import caching
from tracker.widgets import FastSelect

CHOICES = [
    ("", "Any kind"),
    ("a&b", "Tom & Jerry <3"),
    ('q"uote', "“curly” ‘quotes’ and 'straight'"),
    (1, 2),
    ("x", "Purchase (6)"),
]


@pytest.mark.parametrize("value", ["", "a&b", 'q"uote', "1", "missing", None])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_kind"}, {"id": "id_k", "required": True, "disabled": False, "data-x": "<&>"}]
)
def test_the_fast_select_writes_what_django_writes(value, attrs):
    fast, django_select = FastSelect(choices=CHOICES), forms.Select(choices=CHOICES)
    assert fast.render("kind", value, attrs) == django_select.render("kind", value, attrs)


def test_the_fast_select_writes_groups_as_django_does():
    choices = [("", "Any"), ("Japan", [("jp", "Government of Japan"), ("meti", "METI")]), ("us", "United States")]
    assert FastSelect(choices=choices).render("party", "meti") == forms.Select(choices=choices).render("party", "meti")


def test_the_index_filters_render_as_before(client, seeded, monkeypatch):
    fast = client.get("/commitments/", {"kind": "purchase", "pledged_by": "japan"}).content
    timeline_fast = client.get("/timeline/", {"commitment": "defence-2pct-gdp"}).content
    monkeypatch.setattr(FastSelect, "render", forms.Select.render)
    monkeypatch.setattr(caching, "ENABLED", False)
    assert client.get("/commitments/", {"kind": "purchase", "pledged_by": "japan"}).content == fast
    assert client.get("/timeline/", {"commitment": "defence-2pct-gdp"}).content == timeline_fast


def test_each_facet_lists_its_empty_choice_once(client, seeded):
    html = client.get("/commitments/").content.decode()
    assert len(re.findall(r'<option value=""( selected)?>Any kind</option>', html)) == 1
    assert len(re.findall(r'<option value=""( selected)?>Anyone</option>', html)) == 2  # pledged by, pledged to


def test_the_page_cache_can_be_turned_off(client, seeded, monkeypatch, django_assert_num_queries):
    client.get("/commitments/defence-2pct-gdp/")
    with django_assert_num_queries(0):
        client.get("/commitments/defence-2pct-gdp/")
    monkeypatch.setattr(caching, "ENABLED", False)
    with django_assert_num_queries(4):
        first = client.get("/commitments/defence-2pct-gdp/")
    second = client.get("/commitments/defence-2pct-gdp/")
    assert first["ETag"] == second["ETag"]
    assert client.get("/commitments/defence-2pct-gdp/", headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_a_stale_copy_is_never_served(client, seeded):
    from tracker.models import Commitment

    client.get("/commitments/defence-2pct-gdp/")
    Commitment.objects.filter(slug="defence-2pct-gdp").update(title="Renamed quietly")  # no signal: still cached
    assert "Renamed quietly" not in client.get("/commitments/defence-2pct-gdp/").content.decode()
    caching.data_changed()
    assert "Renamed quietly" in client.get("/commitments/defence-2pct-gdp/").content.decode()


def test_the_baseline_view_is_routed_only_for_the_benchmark(client, db, monkeypatch):
    assert client.get("/bench/baseline/").status_code == 404
    monkeypatch.setenv("BENCH_BASELINE", "1")
    import tracker.urls

    try:
        with override_settings(ROOT_URLCONF=importlib.reload(tracker.urls)):
            clear_url_caches()
            response = client.get("/bench/baseline/")
            assert response.status_code == 200 and response.content == b"ok"
    finally:
        monkeypatch.delenv("BENCH_BASELINE")
        importlib.reload(tracker.urls)
        clear_url_caches()
    assert client.get("/bench/baseline/").status_code == 404


def test_search_matches_are_passed_as_one_parameter(db, make_commitment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tracker.models import Commitment

    wanted = [make_commitment().pk for _ in range(3)]
    make_commitment()
    with CaptureQueriesContext(connection) as queries:
        found = sorted(Commitment.objects.filter(pk__in_ids=wanted).values_list("pk", flat=True))
    assert found == sorted(wanted)
    assert list(Commitment.objects.filter(pk__in_ids=[])) == []
    assert str(wanted[0]) in queries.captured_queries[0]["sql"]


def test_the_redis_backend_reuses_one_client_per_process():
    from tracker.redis_cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/12", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: reads and writes share it
    assert client.connection_pool is backend._cache._pools[0]


def test_normalising_a_text_is_the_same_as_translating_it():
    import random

    from tracker.models import _TYPOGRAPHIC, _WHITESPACE, normalise_text

    alphabet = "ab ‘’‚‛′“”„‟″'\"\n\t  é—"
    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert normalise_text(text) == _WHITESPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def test_a_long_record_stays_a_page_of_reasonable_size(client, defence_pledge, source, django_assert_num_queries):
    import datetime

    from tracker import services
    from tracker.models import Quote, StatusUpdate

    for day in range(1, 36):
        services.record_update(
            StatusUpdate(
                commitment=defence_pledge,
                happened_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
                source=source,
                note=f"Update number {day}.",
            )
        )
    for _ in range(29):  # with the fixture's own quote: 30
        Quote.objects.create(text="hot truck", source=source).commitments.add(defence_pledge)
    with django_assert_num_queries(4):
        html = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert html.count('<p class="when">') == 30
    assert "Update number 35." in html and "Update number 5." not in html
    assert "The latest 30 of 35 updates." in html
    assert 'href="/timeline/?commitment=defence-2pct-gdp">The full history on the timeline</a>' in html
    assert html.count('<li class="quote">') == 25
    assert '<a rel="next" href="?quotes=2#quotes-heading">Later quotes →</a>' in html
    second = client.get("/commitments/defence-2pct-gdp/", {"quotes": "2"}).content.decode()
    assert second.count('<li class="quote">') == 5
    assert '<ol class="quotes" start="26">' in second
    assert "Quotes 26–30 of 30" in second
    # a page number it does not understand shows the first page
    assert (
        client.get("/commitments/defence-2pct-gdp/", {"quotes": "x"}).content.decode().count('<li class="quote">') == 25
    )


def test_a_short_record_links_its_history_on_the_timeline(client, defence_pledge, source):
    import datetime

    from tracker import services
    from tracker.models import StatusUpdate

    services.record_update(
        StatusUpdate(commitment=defence_pledge, happened_on=datetime.date(2025, 10, 24), source=source, note="x")
    )
    html = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert 'href="/timeline/?commitment=defence-2pct-gdp">This history on the timeline</a>' in html
    assert "The latest" not in html and "Pages of quotes" not in html
