"""An editor's day, in Chromium: paste an article, quote it, record that a deadline moved, see it in public."""

import pytest
from playwright.sync_api import expect

from tracker.tests.admin_forms import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "Japan delays its cherry-tree gift\n\n"
    "Tokyo said on Monday that the 250 cherry trees promised for America’s 250th anniversary "
    "will now be planted “by the end of 2027”, officials said.\n"
)


def test_an_editor_records_a_moved_deadline_that_the_public_then_sees(site, editor_page):
    page = editor_page

    # 1. Paste the article.
    page.goto(f"{site}/admin/tracker/source/add/")
    page.fill("#id_title", "Japan delays its cherry-tree gift")
    page.fill("#id_description", "A report that the cherry trees will come later")
    page.select_option("#id_kind", "news_report")
    page.fill("#id_text", ARTICLE)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # 2. Quote it: a misquote is refused with the nearest passage, the exact words are accepted.
    page.goto(f"{site}/admin/tracker/quote/add/")
    page.fill("#id_text", "will now be planted by the end of 2028")
    choose(page, "source", "cherry-tree gift", "Japan delays its cherry-tree gift")
    choose(page, "commitments", "cherry", "250 cherry trees")
    page.click("input[name=_save]")
    errors = page.locator(".errorlist")
    expect(errors).to_contain_text("not found in the source")
    expect(errors).to_contain_text("Nearest passage in the source")
    page.fill("#id_text", "will now be planted “by the end of 2027”")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # 3. Record that the deadline moved from 2026 to 2027.
    page.goto(f"{site}/admin/tracker/statusupdate/add/")
    choose(page, "commitment", "cherry", "250 cherry trees")
    page.fill("#id_happened_on", "2026-04-06")
    page.select_option("#id_happened_precision", "day")
    choose(page, "source", "cherry-tree gift", "Japan delays its cherry-tree gift")
    page.fill("#id_note", "Tokyo said the trees will be planted by the end of 2027.")
    page.fill("#id_new_deadline", "2027-12-31")
    page.select_option("#id_new_deadline_precision", "year")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # 4. The public page shows the new deadline, and the old one in its history.
    page.goto(f"{site}/commitments/cherry-trees-250/")
    expect(page.locator(".facts")).to_contain_text("by 2027 (31 December 2027)")
    history = page.locator(".history")
    expect(history).to_contain_text("Tokyo said the trees will be planted by the end of 2027.")
    expect(history).to_contain_text("2026")
    expect(history.locator("del", has_text="2026")).to_have_count(1)
    expect(history.locator("ins", has_text="2027")).to_have_count(1)
