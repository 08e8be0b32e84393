"""An editor back-fills news found late, in Chromium: the event goes in its place, the admin says what that changed
downstream, and the public pages show the history re-derived (old → new, and "as of")."""

import pytest
from playwright.sync_api import expect

from tracker.tests.admin_forms import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_back_fills_an_event_before_a_later_one(site, editor_page):
    page = editor_page

    # Found late: a deadline move dated June 2025, before the recorded one of 24 October 2025.
    page.goto(f"{site}/admin/tracker/statusupdate/add/")
    choose(page, "commitment", "Defence spending", "Defence spending of 2% of GDP")
    page.fill("#id_happened_on", "2025-06-01")
    page.select_option("#id_happened_precision", "day")
    choose(page, "source", "deterrence", "Takaichi, Trump agree to boost deterrence")
    page.fill("#id_note", "A back-filled move of the deadline to fiscal 2026.")
    page.fill("#id_new_deadline", "2027-03-31")
    page.select_option("#id_new_deadline_precision", "fiscal_year")
    page.click("input[name=_save]")
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("was added successfully")
    expect(messages).to_contain_text(
        "The update of 24 October 2025 re-derived: deadline now from fiscal 2026 (was from fiscal 2027)."
    )
    expect(messages).to_contain_text("The current state of “Defence spending of 2% of GDP” is unchanged.")

    # Today: the deadline the latest event set; its history now reads fiscal 2026 → March 2026.
    page.goto(f"{site}/commitments/defence-2pct-gdp/")
    expect(page.locator(".facts")).to_contain_text("by March 2026")
    moved = page.locator(".history li", has_text="24 October 2025")
    expect(moved.locator("del", has_text="fiscal 2026")).to_have_count(1)
    expect(moved.locator("ins", has_text="March 2026")).to_have_count(1)

    # In July 2025 the tracker now knows the back-filled deadline, on the page and in the index.
    page.goto(f"{site}/commitments/defence-2pct-gdp/?as_of=2025-07-01")
    expect(page.locator(".facts")).to_contain_text("by fiscal 2026 (ends 31 March 2027)")
    page.goto(f"{site}/commitments/?as_of=2025-07-01&kind=defence_spending")
    expect(page.locator("table.commitments")).to_contain_text("by fiscal 2026")

    # And /changes/ over the summer shows the move, with the event and its source.
    page.goto(f"{site}/changes/?from=2025-05-01&to=2025-07-01")
    change = page.locator("li.changed", has_text="Defence spending of 2% of GDP")
    expect(change).to_contain_text("fiscal 2027 → fiscal 2026")
    expect(change).to_contain_text("A back-filled move of the deadline to fiscal 2026.")
