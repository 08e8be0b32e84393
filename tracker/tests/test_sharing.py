import xml.etree.ElementTree as ElementTree


def test_the_sitemap_lists_pages_commitments_and_sources(client, seeded):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = [
        node.text
        for node in ElementTree.fromstring(response.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "http://testserver/commitments/defence-2pct-gdp/" in locations
    assert "http://testserver/timeline/" in locations
    assert "http://testserver/sources/1/" in locations


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


import re  # noqa: E402

import pytest  # noqa: E402

PAGES = [
    "/",
    "/commitments/",
    "/commitments/defence-2pct-gdp/",
    "/sources/",
    "/sources/1/",
    "/statuses/",
    "/timeline/",
    "/timeline/2025/",
    "/quotes/1/context/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_title_description_canonical_url_and_opengraph_tags(client, seeded, url):
    html = client.get(url).content.decode()
    assert re.search(r"<title>[^<]+Japan–US commitments tracker</title>", html)
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    for tag in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert f'<meta property="{tag}" content="' in html


def test_a_commitment_page_is_shared_under_its_own_title_and_offers_its_feed(client, seeded):
    html = client.get("/commitments/defence-2pct-gdp/", {"as_of": "2025-10-20"}).content.decode()
    assert "<title>Defence spending of 2% of GDP · Japan–US commitments tracker</title>" in html
    assert '<meta property="og:title" content="Defence spending of 2% of GDP">' in html
    assert '<link rel="canonical" href="http://testserver/commitments/defence-2pct-gdp/">' in html
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Updates on Defence spending of 2% of GDP" href="/commitments/defence-2pct-gdp/feed/">'
        in html
    )
