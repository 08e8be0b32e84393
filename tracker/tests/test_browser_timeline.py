"""The public timeline and the as-of views in Chromium, with the seed fixtures."""

import re

import feedparser
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_load_more_appends_events_in_place(site, watched_page):
    page = watched_page
    page.goto(f"{site}/timeline/")
    events = page.locator("#events > li.event")
    expect(events).to_have_count(30)
    page.evaluate("window.notReloaded = true")
    page.click("#load-more a")
    expect(events).not_to_have_count(30)
    assert events.count() > 30
    assert page.evaluate("window.notReloaded") is True
    assert page.url == f"{site}/timeline/"


def test_without_javascript_load_more_is_a_link_to_the_next_page(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/timeline/")
    page.click("#load-more a")
    page.wait_for_url(re.compile(r"\?page=2$"))
    assert page.locator("#events > li.event").count() > 0
    assert page.locator("a[rel=prev]").count() == 1
    context.close()


def test_filters_update_the_timeline_and_back_restores_it(site, watched_page):
    page = watched_page
    page.goto(f"{site}/timeline/")
    events = page.locator("#events > li.event")
    page.select_option("#id_type", "deadline")
    expect(page).to_have_url(re.compile(r"\?type=deadline$"))
    expect(events.first).to_contain_text("deadline:")
    assert all("deadline:" in text for text in events.all_inner_texts())
    page.go_back()
    expect(page).to_have_url(f"{site}/timeline/")
    expect(page.locator("#id_type")).to_have_value("")
    expect(events).to_have_count(30)


def test_the_month_archive_and_a_permalink(site, watched_page):
    page = watched_page
    page.goto(f"{site}/timeline/2025/10/")
    expect(page.locator("h1")).to_have_text("Timeline: October 2025")
    page.locator("#events > li.event-update a", has_text="Permalink").first.click()
    page.wait_for_url(re.compile(r"/timeline/updates/\d+/$"))
    expect(page.locator("main")).to_contain_text("Source:")


def test_the_as_of_banner_shows_the_past_and_leads_back_to_today(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/defence-2pct-gdp/?as_of=2025-10-20")
    banner = page.locator(".as-of-banner")
    expect(banner).to_contain_text("As of 20 October 2025.")
    expect(page.locator(".facts")).to_contain_text("by fiscal 2027")
    banner.get_by_role("link", name="See today’s version").click()
    page.wait_for_url(f"{site}/commitments/defence-2pct-gdp/")
    expect(page.locator(".as-of-banner")).to_have_count(0)
    expect(page.locator(".facts")).to_contain_text("by March 2026")


def test_the_index_can_be_turned_back_to_a_day_from_its_form(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/?kind=defence_spending")
    page.fill("#id_as_of", "2025-10-20")
    page.press("#id_as_of", "Enter")
    expect(page).to_have_url(re.compile(r"as_of=2025-10-20"))
    expect(page.locator(".as-of-banner")).to_contain_text("As of 20 October 2025.")
    expect(page.locator("#results")).to_contain_text("by fiscal 2027")


def test_the_feed_is_offered_and_parses(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/defence-2pct-gdp/")
    href = page.locator('link[rel="alternate"][title^="Updates on"]').get_attribute("href")
    response = page.request.get(f"{site}{href}")
    assert response.ok
    feed = feedparser.parse(response.body())
    assert not feed.bozo
    assert feed.feed.title.startswith("Defence spending of 2% of GDP")
    assert any("March 2026" in entry.title for entry in feed.entries)
