"""No serious or critical accessibility violation on any public page, as axe-core sees it in real Chromium.

axe is injected as a script tag, which our CSP (script-src 'self', no inline script) rightly refuses: the browser
context that runs axe bypasses the CSP, and only that one (the other browser tests run under the real policy).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tracker.models import Quote, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
REPORTED = ("serious", "critical")

PAGES = {
    "overview": "/",
    "commitment index": "/commitments/",
    "commitment": "/commitments/defence-2pct-gdp/",
    "source list": "/sources/",
    "source": "/sources/{source}/",
    "statuses": "/statuses/",
    "methodology": "/methodology/",
    "corrections": "/corrections/",
    "quote in context": "/quotes/{quote}/context/",
    "timeline": "/timeline/",
    "timeline month": "/timeline/2025/10/",
    "overview as of a day": "/?as_of=2025-10-20",
    "commitment as of a day": "/commitments/defence-2pct-gdp/?as_of=2025-10-20",
    "what changed": "/changes/?from=2025-10-01&to=2025-10-31",
    "commitment with each side's reading": "/commitments/investment-550bn/",
    "commitment with parts": "/commitments/purchase-package/",
    "commitments needing review": "/commitments/?review=needs_review",
    "embeddable card": "/commitments/defence-2pct-gdp/embed/",
    "read API documentation": "/api/v1/docs/",
}
# Every page in Japanese too (/ja/…): its own words, its own lang, its own lengths.
# The read API's documentation is for programmers and lives with the API, outside /ja/ (tracker/urls.py).
PAGES |= {f"{name}, in Japanese": f"/ja{path}" for name, path in PAGES.items() if not path.startswith("/api/")}


# Database work happens before the browser starts (see test_browser.py).
@pytest.fixture
def site(site):
    """conftest's site (the seed on the live server), and the ids of a source and a quote to visit."""
    ids = {
        "source": Source.objects.order_by("pk").values_list("pk", flat=True).first(),
        "quote": Quote.objects.filter(commitments__slug="defence-2pct-gdp")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
    }
    return site, ids


@pytest.fixture
def axe_page(site, browser):
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(settings.BASE_DIR)} is missing: run `npm ci` (make test does it)")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [violation for violation in results["violations"] if violation["impact"] in REPORTED]


def _readable(path: str, violations: list[dict]) -> str:
    lines = [f"{path}: {len(violations)} serious or critical accessibility violation(s)"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = " | ".join(line.strip() for line in node.get("failureSummary", "").splitlines() if line.strip())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_it_has_no_serious_accessibility_violation(name, site, axe_page):
    url, ids = site
    path = PAGES[name].format(**ids)
    response = axe_page.goto(url + path)
    assert response.status == 200, f"{path} answered {response.status}"
    violations = _violations(axe_page)
    assert not violations, _readable(path, violations)


def test_it_has_no_serious_accessibility_violation_with_a_quote_shown_in_context(site, axe_page):
    url, _ = site
    axe_page.goto(f"{url}/commitments/defence-2pct-gdp/")
    link = axe_page.get_by_role("link", name="Show in context").first
    target = link.get_attribute("data-hx-target")
    link.click()
    axe_page.locator(f"{target}.quote-context mark").wait_for()
    assert re.search(r"/commitments/defence-2pct-gdp/$", axe_page.url)
    violations = _violations(axe_page)
    assert not violations, _readable("/commitments/defence-2pct-gdp/ with a quote in context", violations)


# The admin's new pages and forms: the review queue on its front page, a reading, a review check, an update with its
# measurement fields, the commitment form with its new inlines.
ADMIN_PAGES = {
    "admin front page with the review queue": "/admin/",
    "reading form": "/admin/tracker/reading/add/",
    "review check form": "/admin/tracker/reviewcheck/add/",
    "status update form": "/admin/tracker/statusupdate/add/",
}


@pytest.fixture
def role_editor_before_the_browser(site, role_editor):
    return role_editor


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_new_admin_pages_have_no_serious_accessibility_violation(
    name, site, role_editor_before_the_browser, axe_page
):
    from tracker.tests.values import PASSWORD

    url, _ = site
    axe_page.goto(f"{url}/admin/login/")
    axe_page.fill("#id_username", role_editor_before_the_browser.username)
    axe_page.fill("#id_password", PASSWORD)
    axe_page.click("input[type=submit]")
    axe_page.wait_for_url(f"{url}/admin/")
    response = axe_page.goto(url + ADMIN_PAGES[name])
    assert response.status == 200, f"{ADMIN_PAGES[name]} answered {response.status}"
    violations = _violations(axe_page)
    assert not violations, _readable(ADMIN_PAGES[name], violations)
