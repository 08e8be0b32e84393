import xml.etree.ElementTree as ElementTree


def test_the_sitemap_lists_pages_commitments_and_sources(client, seeded):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = [node.text for node in ElementTree.fromstring(response.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "http://testserver/commitments/defence-2pct-gdp/" in locations
    assert "http://testserver/timeline/" in locations
    assert "http://testserver/sources/1/" in locations


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
