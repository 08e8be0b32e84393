"""Real Chromium (Debian's) on the overview and a commitment's page, with the seed fixtures loaded and today fixed."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEFENCE = "/commitments/defence-2pct-gdp/"


# The live server runs in this process, so fixing today (time-machine) fixes it for the pages the browser loads.
@pytest.fixture
def site(site, fixed_today):
    return site


@pytest.fixture
def no_script_page(site, browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_it_shows_a_pledge_with_its_countdown_chart_quotes_and_history(site, watched_page):
    page = watched_page
    page.goto(f"{site}{DEFENCE}")
    facts = page.locator(".facts")
    expect(facts).to_contain_text("2% of GDP, from about 1.8%")
    expect(facts).to_contain_text("by March 2026 (end of fiscal 2025) — deadline passed 235 days ago")

    chart = page.get_by_role("img", name="Defence spending of 2% of GDP: measurements against the target")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 300
    expect(page.locator(".measure-values li")).to_have_text(
        [
            "Baseline, October 2025: about 1.8% of GDP",
            "Measured, for October 2025: 1.8% of GDP",
            "Target: 2% of GDP",
        ]
    )

    quotes = page.locator(".quote")
    assert quotes.count() >= 3
    expect(page.locator(".quote .verified")).to_have_count(quotes.count())
    context_links = page.get_by_role("link", name="Show in context")
    expect(context_links).to_have_count(quotes.count())
    assert re.fullmatch(r"/quotes/\d+/context/", context_links.first.get_attribute("href"))

    history = page.locator(".history > li")
    expect(history).to_have_count(4)
    expect(history.nth(0)).to_contain_text("2022 (to the year)")
    expect(history.nth(1)).to_contain_text("reported; date of the event not stated")
    expect(history.nth(1)).to_contain_text("Measured: 1.8% of GDP for October 2025")
    expect(history.nth(2)).to_contain_text("deadline: fiscal 2027 → March 2026")

    page.get_by_role("link", name="US urges Japan to spend 3.5% of GDP on defence").click()
    page.wait_for_url(re.compile(r"/commitments/us-demand-defence-3-5pct/$"))
    expect(page.locator(".related")).to_contain_text("This commitment answers Defence spending of 2% of GDP")
    expect(page.get_by_text("No measured progress yet since the baseline.")).to_be_visible()


def test_it_links_the_badges_to_what_they_mean(site, watched_page):
    page = watched_page
    page.goto(f"{site}{DEFENCE}")
    page.locator(".badges").get_by_role("link", name="In the works").click()
    page.wait_for_url(re.compile(r"/methodology/#status-in_the_works$"))
    expect(page.locator("#status-in_the_works")).to_be_visible()


def test_it_shows_the_overview_and_its_links_lead_to_the_right_pages(site, watched_page):
    page = watched_page
    page.goto(f"{site}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Japan–US commitments since the Takaichi–Trump summit")

    defence = page.locator("#headline-defence-2pct-gdp")
    expect(
        defence.get_by_role("img", name="Defence spending of 2% of GDP: the latest figure against the target")
    ).to_be_visible()
    expect(defence).to_contain_text("Measured, for October 2025: 1.8% of GDP")
    expect(defence).to_contain_text("deadline passed 235 days ago")
    investment = page.locator("#headline-investment-550bn")
    expect(investment).to_contain_text("Target: $550 billion.")
    expect(investment).to_contain_text("No measured progress yet.")
    expect(investment.get_by_role("img")).to_have_count(0)

    expect(page.locator("#upcoming-deadlines li")).to_have_count(2)
    expect(page.locator("#passed-deadlines li")).to_have_text(
        re.compile("Defence spending of 2% of GDP.*deadline passed 235 days ago", re.S)
    )

    by_status = page.get_by_role("region", name="By status")
    # The tallies count top-level commitments: the two tariff cuts kept are parts of the July trade agreement.
    expect(by_status.locator("li", has_text="Kept")).to_contain_text("0")
    # Nothing is stalled since the corrections of issue 14: the 3.5% demand is not yet rated.
    expect(by_status.locator("li", has_text="Stalled")).to_contain_text("0")
    by_status.get_by_role("link", name="Not yet rated").click()
    page.wait_for_url(re.compile(r"/commitments/\?level=top&status=not_rated$"))
    main = page.locator("main")
    expect(main).to_contain_text("US urges Japan to spend 3.5% of GDP on defence")
    expect(main).not_to_contain_text("Defence spending of 2% of GDP")

    page.go_back()
    page.get_by_role("region", name="By kind").get_by_role("link", name="Investment").click()
    page.wait_for_url(re.compile(r"/commitments/\?level=top&kind=investment$"))
    # The $550 billion is part of the July trade agreement: one filter away.
    expect(page.locator("main")).not_to_contain_text("Japan steers $550 billion of investment to US projects")

    page.go_back()
    page.locator("#upcoming-deadlines").get_by_role(
        "link", name="Japan updates its National Security Strategy in 2026"
    ).click()
    page.wait_for_url(re.compile(r"/commitments/update-national-security-strategy/$"))
    expect(page.locator(".facts")).to_contain_text("by 2026 (31 December 2026) — 40 days left")

    page.go_back()
    defence.get_by_role("link", name="Defence spending of 2% of GDP").click()
    page.wait_for_url(re.compile(rf"{DEFENCE}$"))


def test_it_works_without_javascript(site, no_script_page):
    page = no_script_page
    page.goto(f"{site}/")
    expect(page.locator("#headline-defence-2pct-gdp svg")).to_be_visible()
    page.get_by_role("region", name="By status").get_by_role("link", name="In the works").click()
    page.wait_for_url(re.compile(r"/commitments/\?level=top&status=in_the_works$"))
    expect(page.locator("main")).to_contain_text("Japan–US trade agreement of July 2025")

    page.goto(f"{site}/")
    page.locator("#headline-defence-2pct-gdp").get_by_role("link", name="Defence spending of 2% of GDP").click()
    page.wait_for_url(re.compile(rf"{DEFENCE}$"))
    expect(
        page.get_by_role("img", name="Defence spending of 2% of GDP: measurements against the target")
    ).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("deadline passed 235 days ago")
    expect(page.locator(".history > li")).to_have_count(4)
    # Without htmx, "Show in context" is an ordinary link to the quote's page.
    assert re.fullmatch(
        r"/quotes/\d+/context/", page.get_by_role("link", name="Show in context").first.get_attribute("href")
    )


def test_it_opens_a_quote_in_context_in_place(site, watched_page):
    """The context endpoint is another page's job: a stand-in answers as it will (a fragment to htmx), so this checks
    only that the link asks with htmx and swaps the answer into its own placeholder without leaving the page."""
    page = watched_page
    asked = []

    def stand_in(route):
        quote_id = re.search(r"/quotes/(\d+)/context/", route.request.url).group(1)
        asked.append(route.request.headers.get("hx-request"))
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body=f'<div class="quote-context" id="quote-context-{quote_id}"><p>Stand-in paragraph {quote_id}</p></div>',
        )

    page.route(re.compile(r".*/quotes/\d+/context/$"), stand_in)
    page.goto(f"{site}{DEFENCE}")
    page.evaluate("window.notReloaded = true")
    second = page.locator(".quote").nth(1)
    quote_id = re.search(
        r"/quotes/(\d+)/", second.get_by_role("link", name="Show in context").get_attribute("href")
    ).group(1)
    second.get_by_role("link", name="Show in context").click()
    expect(second.locator(f"#quote-context-{quote_id}.quote-context")).to_have_text(f"Stand-in paragraph {quote_id}")
    assert asked == ["true"]
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith(DEFENCE)
    expect(page.locator(".quote-context")).to_have_count(1)
