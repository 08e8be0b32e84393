"""The page cache cannot be flooded nor poisoned, and an edit is never hidden by a page rendered before its commit."""

import pytest
from django.core.cache import cache
from django.db import transaction

from tracker import caching
from tracker.models import Commitment


def _stored_pages() -> int:
    return sum(1 for key in _keys() if ":page:" in key)


def _keys() -> list[str]:
    return list(getattr(cache, "_cache", {}))  # local memory in the tests


def test_junk_parameters_redirect_to_the_canonical_url_and_store_nothing(client, seeded):
    client.get("/sources/1/")
    stored = _stored_pages()
    for n in range(5):
        response = client.get(f"/sources/1/?junk={n}&utm_source=x")
        assert response.status_code == 301
        assert response["Location"] == "/sources/1/"
    assert _stored_pages() == stored


def test_the_redirect_keeps_the_parameters_the_page_understands(client, seeded):
    response = client.get("/commitments/?kind=purchase&utm=1&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/commitments/?kind=purchase&page=2"
    response = client.get("/commitments/?kind=purchase&kind=tariff")
    assert response["Location"] == "/commitments/?kind=tariff"


@pytest.mark.parametrize(
    "url", ["/", "/commitments/?q=lng", "/commitments/defence-2pct-gdp/?as_of=2025-11-01", "/timeline/?page=2"]
)
def test_understood_parameters_are_served_and_cached(client, seeded, url):
    assert client.get(url).status_code == 200


def test_a_page_with_parameters_is_kept_an_hour_a_plain_one_a_day(client, seeded, monkeypatch):
    timeouts = []
    real_set = cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        if key.startswith("page:"):
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    client.get("/commitments/")
    client.get("/commitments/?q=lng")
    assert timeouts == [caching.PAGE_TIMEOUT, caching.QUERY_PAGE_TIMEOUT]


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml", "/timeline/feed/", "/commitments/defence-2pct-gdp/"])
def test_an_unusual_host_or_port_cannot_poison_absolute_urls_for_everyone(client, seeded, settings, url):
    settings.ALLOWED_HOSTS = ["tracker.example.org", "tracker.example.org:8443"]
    poisoned = client.get(url, HTTP_HOST="tracker.example.org:8443").content.decode()
    assert "tracker.example.org:8443" in poisoned
    normal = client.get(url, HTTP_HOST="tracker.example.org").content.decode()
    assert "tracker.example.org:8443" not in normal
    assert "tracker.example.org" in normal
    secure = client.get(url, HTTP_HOST="tracker.example.org", secure=True).content.decode()
    assert "https://tracker.example.org" in secure


def test_the_data_version_changes_again_when_the_save_commits(seeded, django_capture_on_commit_callbacks):
    """The race: a reader between the save and the commit renders the old data and stores it under the version the
    save made; the commit must make that version stale too."""
    before = caching.data_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            pledge = Commitment.objects.get(slug="defence-2pct-gdp")
            pledge.title = "Changed"
            pledge.save()
        seen_by_a_reader_before_the_commit = caching.data_version()
    assert seen_by_a_reader_before_the_commit != before
    for callback in callbacks:
        callback()
    assert caching.data_version() not in (before, seen_by_a_reader_before_the_commit)


def test_a_page_rendered_before_the_commit_is_not_served_after_it(client, seeded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pledge = Commitment.objects.get(slug="defence-2pct-gdp")
        pledge.title = "Defence: the new title"
        pledge.save()
        # A reader whose snapshot still had the old title caches it under the new version (simulated: we overwrite
        # the stored page with the old title, as that reader would have).
        old_page = client.get("/commitments/defence-2pct-gdp/").content.replace(b"Defence: the new title", b"OLD")
        slot = next(key for key in _keys() if ":page:" in key)
        version, _body, headers = cache.get(slot.split(":", 2)[2])
        cache.set(slot.split(":", 2)[2], (version, old_page, headers))
    for callback in callbacks:
        callback()
    assert b"OLD" not in client.get("/commitments/defence-2pct-gdp/").content


def test_a_hanging_cache_costs_one_timeout_then_the_breaker_skips_it(client, seeded, monkeypatch):
    import time

    calls = []

    def hanging(*args, **kwargs):
        calls.append(args)
        time.sleep(0.3)  # a Redis that hangs until the client's socket timeout
        raise TimeoutError("Timeout reading from socket")

    for method in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, method, hanging)
    started = time.perf_counter()
    assert client.get("/commitments/defence-2pct-gdp/").status_code == 200
    first = time.perf_counter() - started
    assert len(calls) == 1
    started = time.perf_counter()
    for _ in range(3):
        assert client.get("/commitments/defence-2pct-gdp/").status_code == 200
    assert len(calls) == 1, "the breaker should keep every later request away from the cache"
    assert (time.perf_counter() - started) / 3 < first
    assert client.get("/healthz").json()["cache"] == "down"


def test_a_change_saved_while_the_breaker_is_open_is_recorded_when_the_cache_answers(client, seeded, monkeypatch):
    client.get("/commitments/defence-2pct-gdp/")
    caching._Breaker.down_until = float("inf")  # the cache failed a moment ago
    pledge = Commitment.objects.get(slug="defence-2pct-gdp")
    pledge.title = "Saved while the cache was skipped"
    pledge.save()
    caching._Breaker.down_until = 0.0
    assert "Saved while the cache was skipped" in client.get("/commitments/defence-2pct-gdp/").content.decode()
