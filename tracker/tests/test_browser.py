"""Real Chromium (Debian's) against the live server, with the seed fixtures loaded."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_filters_in_place_and_keeps_the_url_in_step(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/")
    rows = page.locator("#results tbody tr")
    everything = rows.count()
    assert everything > 15
    page.evaluate("window.notReloaded = true")

    page.select_option("#id_kind", "purchase")
    expect(page).to_have_url(re.compile(r"kind=purchase"))
    expect(rows).not_to_have_count(everything)
    assert page.evaluate("window.notReloaded") is True
    kinds = page.locator("#results tbody .meta").all_inner_texts()
    assert kinds and all(text.startswith("Purchase") for text in kinds)

    page.select_option("#id_status", "kept")
    expect(page).to_have_url(re.compile(r"\?kind=purchase&status=kept$"))
    expect(rows.first).to_contain_text("No commitment matches")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?kind=purchase$"))
    expect(page.locator("#id_status")).to_have_value("")
    expect(page.locator("#id_kind")).to_have_value("purchase")
    page.go_back()
    expect(rows).to_have_count(everything)
    expect(page.locator("#id_kind")).to_have_value("")
    assert "kind=" not in page.url
    page.go_forward()
    expect(page.locator("#id_kind")).to_have_value("purchase")
    expect(rows).not_to_have_count(everything)


def test_it_searches_quotes_from_the_search_box(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/")
    page.fill("#id_q", "golden age")
    page.press("#id_q", "Enter")
    expect(page).to_have_url(re.compile(r"\?q=golden\+age$"))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody")).to_contain_text("deterrence")
    expect(page.locator("#id_q")).to_be_focused()


def test_it_filters_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/commitments/")
    page.select_option("#id_kind", "investment")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"kind=investment"))
    assert "$550 billion" in page.inner_text("#results")
    context.close()


def test_it_shows_a_pledge_with_its_target_deadline_quotes_and_history(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/")
    page.click("text=Defence spending of 2% of GDP")
    page.wait_for_url(re.compile(r"/commitments/defence-2pct-gdp/$"))
    facts = page.inner_text(".facts")
    assert "2% of GDP, from about 1.8%" in facts
    assert "by March 2026 (end of fiscal 2025)" in facts
    assert page.locator(".quote").count() >= 3
    assert page.locator(".quote .verified").count() == page.locator(".quote").count()
    history = page.inner_text(".history")
    assert "fiscal 2027" in history and "March 2026" in history

    page.locator(".quote figcaption a").first.click()
    page.wait_for_url(re.compile(r"/sources/\d+/$"))
    assert "Stored text" in page.inner_text("main")


def _log_in(page, site):
    page.goto(f"{site}/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password-123")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def test_it_lets_staff_into_the_admin(staff_user, site, watched_page):
    page = watched_page
    _log_in(page, site)
    page.get_by_role("link", name="Commitments", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/tracker/commitment/$"))
    assert page.locator("#result_list tbody tr").count() > 15


def test_it_opens_a_commitment_in_the_admin_with_its_inlines_and_no_script_error(staff_user, site, watched_page):
    page = watched_page
    _log_in(page, site)
    page.goto(f"{site}/admin/tracker/commitment/")
    page.get_by_role("link", name="Defence spending of 2% of GDP").click()
    page.wait_for_url(re.compile(r"/admin/tracker/commitment/\d+/change/$"))
    assert "supporting quotes" in page.inner_text("#content").lower()
    assert page.locator(".inline-related").count() > 3
    # The autocomplete widget (select2) is a script: it only renders if the CSP let it run.
    expect(page.locator(".select2-container").first).to_be_visible()


def test_a_commitment_page_prints_without_navigation_or_buttons(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/defence-2pct-gdp/")
    expect(page.locator(".site-header nav")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator(".quote-actions").first).to_be_hidden()
    expect(page.locator(".facts")).to_be_visible()
    expect(page.locator(".history")).to_be_visible()
