"""An editor records what really happened, in Chromium: a measurement counted on a new basis, a tariff's lapse date
and new legal basis, a part of the investment with its amount, and a side's reading; the public pages then say so.

Synthetic developments (the seed stays the five articles): the figures and the article below are made up for the test.
"""

import pytest
from playwright.sync_api import expect

from tracker.tests.admin_forms import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "Test report: budget and tariffs\n\n"
    "The supplementary budget brings security spending to about 2% of GDP for the fiscal year.\n"
    "The replacement tariff rests on a proclamation limited to 150 days.\n"
)


def _add_update(page, site, commitment_search, commitment_option, note, fields):
    page.goto(f"{site}/admin/tracker/statusupdate/add/")
    choose(page, "commitment", commitment_search, commitment_option)
    page.fill("#id_happened_on", "2025-12-16")
    page.select_option("#id_happened_precision", "day")
    choose(page, "source", "budget and tariffs", "Test report: budget and tariffs")
    page.fill("#id_note", note)
    for selector, value in fields.items():
        if selector.startswith("select:"):
            page.select_option(selector.removeprefix("select:"), value)
        elif selector.startswith("check:"):
            page.check(selector.removeprefix("check:"))
        else:
            page.fill(selector, value)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def test_an_editor_records_what_happened_and_the_public_pages_say_it_right(site, editor_page, fixed_today):
    page = editor_page

    # A source for the developments.
    page.goto(f"{site}/admin/tracker/source/add/")
    page.fill("#id_title", "Test report: budget and tariffs")
    page.fill("#id_description", "A synthetic report for the test")
    page.select_option("#id_kind", "news_report")
    page.fill("#id_text", ARTICLE)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # 1. A measurement on a changed basis: fiscal 2025, counting the supplementary budget.
    _add_update(
        page,
        site,
        "2%",
        "Defence spending",
        "The supplementary budget brings security spending to about 2% of GDP.",
        {
            "#id_measured_value": "2",
            "check:#id_measured_is_approximate": "",
            "#id_measured_as_of": "2025-04-01",
            "select:#id_measured_precision": "fiscal_year",
            "#id_measured_basis": "including the supplementary budget",
            "check:#id_basis_changed": "",
        },
    )

    # 2. The tariff's new legal basis (an event) and its lapse date (the commitment's own field).
    _add_update(
        page,
        site,
        "tariffs on Japanese goods",
        "US lowers tariffs on Japanese goods to 15%",
        "The tariff now rests on a proclamation limited to 150 days.",
        {"#id_new_instrument": "a proclamation limited to 150 days"},
    )
    page.goto(f"{site}/admin/tracker/commitment/?q=us-tariff-15pct")
    page.locator("#result_list a", has_text="tariff").first.click()
    page.fill("#id_lapses_on", "2026-07-20")
    page.fill("#id_change_reason", "The tariff's 150-day limit was recorded only as a deadline.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # 3. A part of the $550 billion, with its amount.
    page.goto(f"{site}/admin/tracker/commitment/add/")
    page.fill("#id_title", "Test project: a power plant")
    page.fill("#id_slug", "test-power-plant")
    page.fill("#id_summary", "A synthetic project for the test.")
    page.select_option("#id_kind", "investment")
    choose(page, "pledged_by", "Government of Japan", "Government of Japan")
    page.select_option("#id_unit", "usd")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(f"{site}/admin/tracker/commitmentlink/add/")
    choose(page, "from_commitment", "power plant", "Test project: a power plant")
    page.select_option("#id_relation", "part_of")
    choose(page, "to_commitment", "550", "$550 billion")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    _add_update(
        page,
        site,
        "power plant",
        "Test project: a power plant",
        "The project's financing was signed.",
        {"#id_measured_value": "33000000000", "select:#id_money_stage": "committed"},
    )

    # 4. A reading by one side.
    page.goto(f"{site}/admin/tracker/reading/add/")
    choose(page, "commitment", "tariffs on Japanese goods", "US lowers tariffs on Japanese goods to 15%")
    choose(page, "party", "Government of Japan", "Government of Japan")
    page.fill("#id_description", "Test reading: a tariff cut won in negotiations.")
    choose(page, "quote", "After months", "After months of negotiations")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # The overview's headline: the latest measurement (fiscal 2025 ends last), its basis changed.
    page.goto(f"{site}/")
    headline = page.locator("#headline-defence-2pct-gdp")
    expect(headline).to_contain_text("Measured, for fiscal 2025: about 2% of GDP, including the supplementary budget")
    expect(headline).to_contain_text("basis changed")

    # The tariff's page: lapsed, not a missed deadline; the legal basis old → new; the reading.
    page.goto(f"{site}/commitments/us-tariff-15pct/")
    expect(page.locator(".lapse")).to_contain_text("Lapsed on 20 July 2026")
    expect(page.locator(".instrument")).to_have_text("a proclamation limited to 150 days")
    expect(page.locator(".history ins", has_text="a proclamation limited to 150 days")).to_have_count(1)
    expect(page.locator(".readings")).to_contain_text("What Tokyo says")
    expect(page.locator(".readings")).to_contain_text("Test reading: a tariff cut won in negotiations.")

    # The investment's page: the part with its amount and stage, and what the parts add up to.
    page.goto(f"{site}/commitments/investment-550bn/")
    parts = page.locator(".parts")
    expect(parts).to_contain_text("Test project: a power plant")
    expect(parts).to_contain_text("$33 billion")
    expect(parts).to_contain_text("Committed")
    expect(parts.locator(".parts-differ")).to_contain_text("The parts add up to $33 billion")

    # The timeline and the feed: the measurement with its basis.
    page.goto(f"{site}/timeline/")
    expect(page.locator(".basis-changed").first).to_have_text("Basis changed")
    feed = page.request.get(f"{site}/timeline/feed/").text()
    assert "about 2% of GDP for fiscal 2025 (including the supplementary budget; basis changed" in feed


def test_the_admin_history_page_loads_without_a_csp_error(site, watched_page, editor_page):
    # watched_page fails the test on any console error (a CSP violation is one). A save gives the page a row.
    editor_page.goto(f"{site}/admin/tracker/commitment/1/change/")
    editor_page.click("input[name=_save]")
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")
    editor_page.goto(f"{site}/admin/tracker/commitment/1/history/")
    expect(editor_page.locator("#change-history")).to_be_visible()


def test_date_only_fields_have_no_timezone_note_for_an_editor_abroad(site, role_editor, browser):
    from tracker.tests.values import PASSWORD

    context = browser.new_context(timezone_id="Europe/London")
    page = context.new_page()
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", role_editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")
    page.goto(f"{site}/admin/tracker/statusupdate/add/")
    expect(page.locator("#id_happened_on + .datetimeshortcuts")).to_have_count(1)  # the calendar is still there
    expect(page.locator(".timezonewarning")).to_have_count(0)
    context.close()


def test_an_updates_quote_choices_are_limited_to_its_source(site, editor_page):
    page = editor_page
    page.goto(f"{site}/admin/tracker/statusupdate/add/")
    choose(page, "source", "Takaichi’s tightrope", "Takaichi’s tightrope")
    page.locator("#id_quote + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("important")
    # "What’s important is not the amount…" is a quote of another article.
    expect(page.locator(".select2-results__option")).to_have_text(["No results found"])
    page.keyboard.press("Escape")
    choose(page, "source", "reset opportunity", "reset opportunity")
    choose(page, "quote", "important", "What’s important is not the amount")
