"""A page on another site frames the embed (allowed) and a commitment's page (refused), in real Chromium."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_site(site):
    """Another origin (its own port) with an article that frames the embed and, as a hostile page would, the
    commitment's own page. Served for real on this machine: Chromium blocks a public page from framing a local
    server (private network access), so a page made up by Playwright's routing could not show the difference."""
    body = (
        "<!doctype html><title>An article</title><h1>News</h1>"
        f'<iframe name="embed" title="embed" src="{site}/commitments/defence-2pct-gdp/embed/"></iframe>'
        f'<iframe name="page" title="page" src="{site}/commitments/defence-2pct-gdp/"></iframe>'
    ).encode()

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/article.html"
    server.shutdown()
    server.server_close()


def test_another_site_can_frame_the_embed_but_not_the_rest_of_the_site(site, other_site, page):
    refused = []
    page.on("console", lambda message: "frame" in message.text.lower() and refused.append(message.text))
    page.goto(other_site, wait_until="load")
    embed = page.frame(name="embed")
    assert embed is not None
    expect(embed.locator("h1")).to_have_text("Defence spending of 2% of GDP")
    expect(embed.locator("dl")).to_contain_text("by March 2026")
    framed_page = page.frame(name="page")
    assert framed_page is not None
    # Chromium replaces a refused frame with its error page: none of the tracker's page is there.
    expect(framed_page.locator(".commitment")).to_have_count(0)
    expect(framed_page.locator("body")).not_to_contain_text("Defence spending")
    assert any("frame" in text.lower() for text in refused), refused
