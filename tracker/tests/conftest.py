import datetime
import os
from decimal import Decimal

import pytest
from django.core.management import call_command

from tracker.models import Actor, ActorKind, Commitment, CommitmentKind, Country, Quote, Source

SEED_TEXT = "Takaichi said Japan would “spend 2% of GDP on defence” by March 2026. Trump said: ‘That’s a hot truck.’"


@pytest.fixture(autouse=True)
def fresh_cache():
    """A rolled-back test leaves no trace in the database, so it must leave none in the page cache either."""
    from django.core.cache import cache

    from tracker.caching import reset_breaker

    reset_breaker()
    cache.clear()
    yield
    cache.clear()
    reset_breaker()


@pytest.fixture
def seeded(db):
    """The real fixtures, as a fresh clone loads them."""
    call_command("loaddata", "seed.json", verbosity=0)


@pytest.fixture
def japan(db):
    return Actor.objects.create(
        name="Government of Japan", slug="japan", kind=ActorKind.GOVERNMENT, country=Country.JAPAN
    )


@pytest.fixture
def usa(db):
    return Actor.objects.create(
        name="US administration", slug="united-states", kind=ActorKind.GOVERNMENT, country=Country.UNITED_STATES
    )


@pytest.fixture
def source(db):
    return Source.objects.create(description="A test article", kind="news_report", text=SEED_TEXT)


@pytest.fixture
def make_commitment(japan, usa):
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        values = {
            "slug": f"commitment-{n}",
            "title": f"Commitment {n}",
            "summary": "A test commitment.",
            "kind": CommitmentKind.DEFENCE_SPENDING,
            "pledged_by": japan,
            "pledged_to": usa,
        }
        values.update(fields)
        return Commitment.objects.create(**values)

    return make


@pytest.fixture
def defence_pledge(make_commitment, source):
    commitment = make_commitment(
        slug="defence-2pct-gdp",
        title="Defence spending of 2% of GDP",
        unit="pct_gdp",
        baseline_value=Decimal("1.8"),
        baseline_is_approximate=True,
        target_value=Decimal("2"),
        deadline=datetime.date(2028, 3, 31),
        deadline_precision="fiscal_year",
        announced_on=datetime.date(2022, 1, 1),
        announced_precision="year",
    )
    quote = Quote.objects.create(text="spend 2% of GDP on defence", source=source)
    quote.commitments.add(commitment)
    return commitment


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, but serving the collected (hashed) static files as production does.

    Its default handler looks files up by their source names, so the manifest's hashed URLs would 404.
    """
    from django.test.testcases import _StaticFilesHandler
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"), start=False)
    server.thread.static_handler = _StaticFilesHandler
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


# -- browser tests ---------------------------------------------------------------------------------------------
# Database work happens before the browser starts: under Playwright's event loop the ORM would open a second
# connection that outlives the test (and blocks dropping the PostgreSQL test database). So `site` loads the
# seed, and every page fixture depends on it.


@pytest.fixture
def site(live_server):
    call_command("loaddata", "seed.json", verbosity=0)
    return live_server.url


@pytest.fixture
def staff_user(site, django_user_model):
    return django_user_model.objects.create_superuser("editor", "", "a-long-password-123")


@pytest.fixture
def watched_page(site, page):
    """A page that fails the test on any console error, script error or 4xx/5xx response (a CSP violation…)."""
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}")
    )
    yield page
    assert problems == [], "The browser reported errors"
