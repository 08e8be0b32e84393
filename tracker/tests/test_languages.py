"""Every public page in English at the root and in Japanese under /ja/: the switcher, the alternates, the sitemap,
and a page cache that never serves one language's copy for the other."""

import re

import pytest
from django.core.cache import cache

PAGES = ["/", "/commitments/", "/commitments/defence-2pct-gdp/", "/timeline/", "/changes/", "/sources/", "/statuses/"]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_in_japanese_under_ja_and_in_english_at_the_root(client, seeded, fixed_today, path):
    english = client.get(path)
    japanese = client.get(f"/ja{path}")
    assert english.status_code == japanese.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="ja">' in japanese.content.decode()
    assert english["Content-Language"] == "en-gb" and japanese["Content-Language"] == "ja"


def test_the_language_comes_from_the_url_alone_never_from_the_browser(client, seeded):
    response = client.get("/commitments/", headers={"accept-language": "ja"})
    assert '<html lang="en">' in response.content.decode()
    assert client.get("/admin/login/", headers={"accept-language": "ja"}).content.decode().count("Log in") >= 1


def test_the_switcher_and_the_alternates_keep_the_page_and_its_query(client, seeded):
    body = client.get("/ja/commitments/?status=in_the_works&q=lng").content.decode()
    assert 'href="/commitments/?status=in_the_works&amp;q=lng" hreflang="en" lang="en"' in body
    assert '<span aria-current="page" lang="ja">日本語</span>' in body
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', body))
    # The alternates name each language's canonical URL (the canonical link has no query either).
    assert alternates == {
        "en": "http://testserver/commitments/",
        "x-default": "http://testserver/commitments/",
        "ja": "http://testserver/ja/commitments/",
    }
    english = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert 'href="/ja/commitments/defence-2pct-gdp/" hreflang="ja" lang="ja"' in english


def test_links_on_a_japanese_page_stay_in_japanese(client, seeded):
    body = client.get("/ja/").content.decode()
    assert 'href="/ja/commitments/"' in body and 'href="/ja/timeline/"' in body
    assert 'href="/commitments/"' not in body.split('class="language-switcher"')[0]


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(client, seeded):
    body = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/methodology/</loc>" in body
    assert "<loc>http://testserver/ja/methodology/</loc>" in body
    assert "<loc>http://testserver/ja/commitments/defence-2pct-gdp/</loc>" in body
    assert 'hreflang="ja" href="http://testserver/ja/methodology/"' in body
    assert 'hreflang="x-default" href="http://testserver/methodology/"' in body


def test_the_page_cache_keeps_one_copy_per_language_with_its_own_etag(client, seeded, fixed_today):
    english = client.get("/statuses/")
    japanese = client.get("/ja/statuses/")
    assert english["ETag"] != japanese["ETag"]
    # Served from the cache now: each language still gets its own copy.
    assert client.get("/statuses/").content == english.content
    assert client.get("/ja/statuses/").content == japanese.content
    assert '<html lang="ja">' in client.get("/ja/statuses/").content.decode()
    # An ETag of one language never validates the other's page.
    assert client.get("/ja/statuses/", headers={"if-none-match": english["ETag"]}).status_code == 200
    assert client.get("/ja/statuses/", headers={"if-none-match": japanese["ETag"]}).status_code == 304


def test_the_cache_key_carries_the_language_even_for_the_same_path(rf):
    from django.utils import translation

    from tracker import caching

    request = rf.get("/statuses/")
    with translation.override("ja"):
        japanese = caching._slot(request)
    with translation.override("en-gb"):
        english = caching._slot(request)
    assert japanese != english
    cache.clear()


def test_an_unknown_parameter_redirects_within_the_japanese_pages(client, seeded):
    response = client.get("/ja/commitments/?kind=purchase&utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == "/ja/commitments/?kind=purchase"
    response = client.get("/ja/sources/1/?junk=1")
    assert response["Location"] == "/ja/sources/1/"


def test_the_admin_stays_at_one_address(client, db):
    assert client.get("/ja/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 200
