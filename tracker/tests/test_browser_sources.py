"""Real Chromium against the live server: the sources pages and a quote shown in its context."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lists_the_sources_and_opens_one_with_its_quotes_highlighted(site, watched_page):
    page = watched_page
    page.goto(f"{site}/sources/")
    expect(page.locator("table.sources tbody tr")).to_have_count(5)
    page.get_by_role("link", name="Takaichi’s tightrope: Flatter Trump, don’t feed him").click()
    page.wait_for_url(re.compile(r"/sources/\d+/$"))

    marks = page.locator(".stored-text mark[id^=quote-]")
    assert marks.count() == page.locator(".source-quotes li").count() > 5
    expect(marks.first).to_be_visible()


def test_it_leads_from_a_highlighted_quote_to_its_commitment(site, watched_page):
    page = watched_page
    page.goto(f"{site}/sources/")
    page.locator("table.sources tbody a").first.click()
    link = page.locator(".stored-text mark a").first
    words = " ".join(link.inner_text().split())
    link.click()
    page.wait_for_url(re.compile(r"/commitments/[\w-]+/$"))
    quotes = " ".join(page.locator(".quote blockquote").all_inner_texts()).split()
    assert words in " ".join(quotes)


def test_it_scrolls_to_a_quote_from_its_context_link(site, watched_page):
    page = watched_page
    page.goto(f"{site}/sources/")
    page.locator("table.sources tbody a").first.click()
    quote_id = page.locator(".stored-text mark[id^=quote-]").nth(5).get_attribute("id").removeprefix("quote-")
    page.goto(f"{site}/quotes/{quote_id}/context/")
    page.locator(".context-source a").click()
    page.wait_for_url(re.compile(rf"/sources/\d+/#quote-{quote_id}$"))
    expect(page.locator(f"#quote-{quote_id}")).to_be_in_viewport()


def test_it_shows_a_quote_in_context_in_place(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/defence-2pct-gdp/")
    page.evaluate("window.notReloaded = true")
    link = page.get_by_role("link", name="Show in context").first
    target = link.get_attribute("data-hx-target")
    link.click()

    context = page.locator(target)
    expect(context).to_have_class("quote-context")
    expect(context.locator("mark")).to_be_visible()
    expect(context.locator(".context-source a")).to_have_attribute("href", re.compile(r"^/sources/\d+/#quote-\d+$"))
    assert page.evaluate("window.notReloaded") is True
    assert page.url == f"{site}/commitments/defence-2pct-gdp/"
    expect(page.locator("h1")).to_have_count(1)


def test_it_opens_the_context_page_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/commitments/defence-2pct-gdp/")
    page.get_by_role("link", name="Show in context").first.click()
    page.wait_for_url(re.compile(r"/quotes/\d+/context/$"))
    expect(page.locator("h1")).to_have_text("A quote in its context")
    expect(page.locator(".quote-context mark")).to_be_visible()
    expect(page.get_by_role("link", name="Defence spending of 2% of GDP")).to_be_visible()
    context.close()
