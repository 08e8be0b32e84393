"""The Japanese pages in real Chromium: reading the overview, the index (filter, search, download), a commitment and
the timeline at /ja/; switching languages mid-session keeps the page and its query; and every main page fits a
390 px phone in both languages, with chart text at least 12 px."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_overview_in_japanese(site, watched_page):
    page = watched_page
    page.goto(f"{site}/ja/")
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.locator("h1")).to_have_text("高市・トランプ首脳会談以降の日米の約束")
    expect(page.locator("#headline-investment-550bn")).to_contain_text("5,500億ドル")
    expect(page.locator("#headline-defence-2pct-gdp")).to_contain_text("国内総生産(GDP)比2%")
    expect(page.locator("#headline-defence-2pct-gdp")).to_contain_text("2026年3月末まで（2025年度末）")
    expect(page.get_by_role("heading", name="状況別")).to_be_visible()
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="約束一覧").click()
    expect(page).to_have_url(f"{site}/ja/commitments/")


def test_the_index_in_japanese_filters_searches_and_downloads(site, watched_page):
    page = watched_page
    page.goto(f"{site}/ja/commitments/")
    expect(page.locator("label[for=id_kind]")).to_contain_text("種類")
    rows = page.locator("#results tbody tr")
    everything = rows.count()
    page.select_option("#id_kind", "purchase")
    expect(page).to_have_url(re.compile(r"/ja/commitments/\?kind=purchase$"))
    expect(rows).not_to_have_count(everything)
    kinds = page.locator("#results tbody .meta").all_inner_texts()
    assert kinds and all(text.startswith("購入") for text in kinds)
    expect(page.locator(".result-count")).to_contain_text("件")

    page.fill("#id_q", "soybeans")
    page.press("#id_q", "Enter")
    expect(page).to_have_url(re.compile(r"/ja/commitments/\?q=soybeans&kind=purchase$|\?kind=purchase&q=soybeans$"))
    expect(rows).not_to_have_count(len(kinds))
    found = rows.count()

    link = page.get_by_role("link", name="CSV")
    href = link.get_attribute("href")
    assert href and href.startswith("/ja/commitments.csv?") and "kind=purchase" in href and "q=soybeans" in href
    body = page.request.get(f"{site}{href}").text()
    table = list(csv.DictReader(io.StringIO(body)))
    # The headers are the same machine-readable names in every language; the words are the reader's.
    assert body.splitlines()[0].startswith("slug,title,title_ja,kind,nature,pledged_by")
    assert len(table) == found and {row["kind"] for row in table} == {"purchase"}
    assert table[0]["url"].startswith(f"{site}/ja/commitments/")


def test_a_commitment_in_japanese(site, watched_page):
    page = watched_page
    page.goto(f"{site}/ja/commitments/defence-2pct-gdp/")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("期限")
    expect(facts).to_contain_text("2026年3月末まで（2025年度末）")
    expect(facts).to_contain_text("国内総生産(GDP)比2%")
    expect(page.get_by_role("heading", name="根拠となる引用")).to_be_visible()
    page.get_by_role("link", name="前後の文脈を表示").first.click()
    expect(page.locator(".quote-context").first).to_contain_text("出典：")
    expect(page.get_by_role("img", name=re.compile("目標に対する実績"))).to_be_visible()


def test_the_timeline_in_japanese(site, watched_page):
    page = watched_page
    page.goto(f"{site}/ja/timeline/")
    expect(page.locator("h1")).to_have_text("タイムライン")
    expect(page.get_by_role("navigation", name="年別のタイムライン")).to_contain_text("2025年")
    events = page.locator("#events > li.event")
    first_page = events.count()
    page.get_by_role("link", name="さらに表示").click()
    expect(events).not_to_have_count(first_page)
    page.select_option("#id_type", "status")
    expect(page).to_have_url(re.compile(r"/ja/timeline/\?type=status$"))
    expect(page.locator("#events li.event").first).to_contain_text("状況：")


def test_switching_languages_mid_session_keeps_the_page_and_its_query(site, watched_page):
    page = watched_page
    page.goto(f"{site}/commitments/")
    page.select_option("#id_kind", "purchase")  # in place, with htmx: the URL changes, the page is not reloaded
    expect(page).to_have_url(re.compile(r"/commitments/\?kind=purchase$"))
    page.get_by_role("link", name="日本語").click()
    expect(page).to_have_url(f"{site}/ja/commitments/?kind=purchase")
    expect(page.locator("#id_kind")).to_have_value("purchase")
    expect(page.locator("h1")).to_have_text("約束一覧")
    page.select_option("#id_status", "in_the_works")
    expect(page).to_have_url(re.compile(r"/ja/commitments/\?kind=purchase&status=in_the_works$"))
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{site}/commitments/?kind=purchase&status=in_the_works")
    expect(page.locator("h1")).to_have_text("Commitments")
    expect(page.locator("#id_status")).to_have_value("in_the_works")


def test_switching_languages_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/timeline/?type=status")
    page.get_by_role("link", name="日本語").click()
    expect(page).to_have_url(f"{site}/ja/timeline/?type=status")
    context.close()


PHONE_PAGES = [
    "/",
    "/commitments/",
    "/commitments/defence-2pct-gdp/",
    "/commitments/investment-550bn/",
    "/timeline/",
    "/changes/?from=2025-10-01&to=2025-11-30",
    "/sources/",
    "/sources/1/",
    "/statuses/",
    "/methodology/",
    "/corrections/",
]

# Every chart text a reader can see, with its size on screen: an SVG's text is drawn at its font size times the
# SVG's scale (its width on screen over its viewBox's), which the computed style alone does not tell.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('.measure-chart text, .measure-chart li')]
  .filter(element => element.getClientRects().length > 0 && getComputedStyle(element).display !== 'none')
  .map(element => {
    const size = parseFloat(getComputedStyle(element).fontSize);
    const svg = element.closest('svg');
    const scale = svg ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
    return {text: element.textContent, size: size * scale};
  })"""


@pytest.mark.parametrize("prefix", ["", "/ja"])
def test_every_main_page_fits_a_390_px_phone(site, browser, prefix):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
    page = context.new_page()
    charts_seen = 0
    for path in PHONE_PAGES:
        page.goto(f"{site}{prefix}{path}")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] == 390, f"{prefix}{path} scrolls sideways: {widths[0]} px wide"
        sizes = page.evaluate(CHART_TEXT_SIZES)
        charts_seen += len(sizes)
        small = [item for item in sizes if item["size"] < 12]
        assert not small, f"{prefix}{path}: chart text under 12 px: {small}"
    assert charts_seen >= 4  # the overview's two charts and the commitments' own were measured
    # The whole menu is on screen: it wraps instead of running off the right edge.
    for link in page.locator(".main-nav a").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    context.close()


def test_chart_labels_stay_in_the_chart_on_a_wide_screen(site, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site}/ja/commitments/defence-2pct-gdp/")
    sizes = page.evaluate(CHART_TEXT_SIZES)
    svg_text = [item for item in sizes if item["text"].startswith(("実績", "基準値", "目標"))]
    assert svg_text and min(item["size"] for item in sizes) >= 12
