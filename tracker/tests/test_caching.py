"""Public pages come from the cache until the data changes; an editor's save shows at once."""

import pytest

from tracker import caching
from tracker.models import Commitment

PUBLIC_URLS = [
    "/",
    "/commitments/",
    "/commitments/defence-2pct-gdp/",
    "/commitments.csv",
    "/commitments.json",
    "/sources/",
    "/sources/1/",
    "/quotes/1/context/",
    "/statuses/",
    "/methodology/",
    "/corrections/",
    "/corrections/feed/",
    "/changes/",
    "/changes.csv",
    "/changes.json",
    "/timeline/",
    "/timeline/2025/10/",
    "/timeline/feed/",
    "/commitments/defence-2pct-gdp/feed/",
    "/sitemap.xml",
    "/robots.txt",
]


def test_a_second_visit_runs_no_query(client, seeded, django_assert_num_queries):
    client.get("/commitments/defence-2pct-gdp/")
    with django_assert_num_queries(0):
        response = client.get("/commitments/defence-2pct-gdp/")
    assert "Defence spending of 2% of GDP" in response.content.decode()


def test_an_editors_save_shows_at_once(client, seeded):
    assert "Defence spending of 2% of GDP" in client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert "Defence spending of 2% of GDP" in client.get("/commitments/").content.decode()
    pledge = Commitment.objects.get(slug="defence-2pct-gdp")
    pledge.title = "Defence spending: two per cent of GDP"
    pledge.save()
    assert "Defence spending: two per cent of GDP" in client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert "Defence spending: two per cent of GDP" in client.get("/commitments/").content.decode()
    assert "Defence spending: two per cent of GDP" in client.get("/timeline/feed/").content.decode()


def test_a_new_quote_link_shows_at_once(client, seeded):
    from tracker.models import Quote

    quote = Quote.objects.exclude(commitments__slug="cherry-trees-250").first()
    before = client.get("/commitments/cherry-trees-250/").content.decode()
    assert quote.text[:40] not in before
    quote.commitments.add(Commitment.objects.get(slug="cherry-trees-250"))
    assert quote.text[:40].replace("'", "&#x27;") in client.get(
        "/commitments/cherry-trees-250/"
    ).content.decode().replace("’", "’")


def test_it_answers_304_to_a_matching_etag(client, seeded):
    first = client.get("/timeline/")
    assert first["ETag"]
    again = client.get("/timeline/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    Commitment.objects.filter(slug="defence-2pct-gdp").get().save()
    assert client.get("/timeline/", headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_htmx_fragments_and_whole_pages_are_cached_apart(client, seeded):
    whole = client.get("/commitments/", {"kind": "purchase"})
    fragment = client.get("/commitments/", {"kind": "purchase"}, headers={"HX-Request": "true"})
    assert "<html" in whole.content.decode() and "<html" not in fragment.content.decode()
    assert fragment["HX-Push-Url"] == "/commitments/?kind=purchase"
    assert "HX-Request" in whole["Vary"] and "HX-Request" in fragment["Vary"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_need_no_cookie_and_set_none(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("url", PUBLIC_URLS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_pages_answer_only_get_and_head(client, seeded, url, method):
    assert getattr(client, method)(url).status_code == 405


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_answer_head(client, seeded, url):
    assert client.head(url).status_code == 200


def test_a_lost_cache_renders_pages_uncached_and_never_breaks_a_save(client, seeded, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, method, down)
    assert client.get("/commitments/defence-2pct-gdp/").status_code == 200
    pledge = Commitment.objects.get(slug="defence-2pct-gdp")
    pledge.title = "Saved while the cache is down"
    pledge.save()
    assert "Saved while the cache is down" in client.get("/commitments/defence-2pct-gdp/").content.decode()


def test_the_page_cache_can_be_turned_off(client, seeded, settings, django_assert_num_queries):
    client.get("/commitments/defence-2pct-gdp/")
    with django_assert_num_queries(0):
        client.get("/commitments/defence-2pct-gdp/")
    settings.TRACKER_PAGE_CACHE = False
    with django_assert_num_queries(6):
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


def test_the_redis_backend_reuses_one_client_per_process():
    from tracker.redis_cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/12", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: reads and writes share it
    assert client.connection_pool is backend._cache._pools[0]
