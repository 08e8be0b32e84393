"""A page on another site frames the embed (allowed) and a commitment's page (refused), in real Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMBEDDER = "http://embedder.test/article.html"  # another origin, served by the browser's route below


def test_another_site_can_frame_the_embed_but_not_the_rest_of_the_site(site, page):
    snippet = (
        f'<iframe name="embed" title="embed" src="{site}/commitments/defence-2pct-gdp/embed/"></iframe>'
        f'<iframe name="page" title="page" src="{site}/commitments/defence-2pct-gdp/"></iframe>'
    )
    page.route(
        EMBEDDER,
        lambda route: route.fulfill(
            content_type="text/html", body=f"<!doctype html><title>An article</title><h1>News</h1>{snippet}"
        ),
    )
    refused = []
    page.on("console", lambda message: "frame" in message.text.lower() and refused.append(message.text))
    page.goto(EMBEDDER, wait_until="load")
    embed = page.frame(name="embed")
    assert embed is not None
    expect(embed.locator("h1")).to_have_text("Defence spending of 2% of GDP")
    expect(embed.locator("dl")).to_contain_text("by March 2026")
    framed_page = page.frame(name="page")
    assert framed_page is not None
    # Chromium replaces a refused frame with its error page: none of the tracker's page is there.
    expect(framed_page.locator(".commitment")).to_have_count(0)
    assert framed_page.url != f"{site}/commitments/defence-2pct-gdp/" or refused
