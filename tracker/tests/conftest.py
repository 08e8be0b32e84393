"""Fixtures shared by the test modules: data, clients and users, a fixed today, the browser and its live server."""

import copy
import datetime
import os
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client, override_settings

from tracker import caching, services
from tracker.models import Actor, ActorKind, Commitment, CommitmentKind, Country, Quote, Source, StatusUpdate
from tracker.tests.values import PASSWORD, TODAY

SEED_TEXT = "Takaichi said Japan would “spend 2% of GDP on defence” by March 2026. Trump said: ‘That’s a hot truck.’"


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher():
    """Hashing a password the production way costs a noticeable fraction of a second; tests log in a lot."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


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
def fixed_today():
    """Today is TODAY in Tokyo (the project's time zone), for the views, the page cache and Django alike.

    The clock still ticks from noon, so nothing that waits on time (the live server, timeouts) stands still.
    """
    noon = datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=ZoneInfo("Asia/Tokyo"))
    with time_machine.travel(noon, tick=True):
        yield TODAY


# -- the seed fixtures -----------------------------------------------------------------------------------------


def _row_keys() -> dict:
    return {
        model: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker) -> list[tuple[type, list]]:
    """The rows `loaddata seed.json` writes, read once per session (loaded in a transaction that is rolled back).

    Reading and validating the JSON takes a second or more; inserting the rows it gave takes a few milliseconds.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        before = _row_keys()
        call_command("loaddata", "seed.json", verbosity=0)
        rows = []
        for model, keys in _row_keys().items():
            added = keys - before[model]
            if added:
                rows.append((model, list(model._base_manager.filter(pk__in=added).order_by("pk"))))
        transaction.set_rollback(True)
    return rows


def load_seed(seed_rows) -> None:
    """The seed fixtures' rows, as `loaddata seed.json` writes them, in the test's database.

    In one transaction, as loaddata does: foreign keys are checked at its end, whatever the order of the tables.
    """
    with transaction.atomic():
        for model, instances in seed_rows:
            model._base_manager.bulk_create([copy.copy(instance) for instance in instances])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in seed_rows]):
                cursor.execute(sql)
    caching.data_changed()


@pytest.fixture
def seeded(db, seed_rows):
    """The real fixtures, as a fresh clone loads them."""
    load_seed(seed_rows)


# -- clients and users -----------------------------------------------------------------------------------------


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "", PASSWORD)


@pytest.fixture
def editor_client(client, superuser):
    """A client logged in to the admin as a superuser."""
    client.force_login(superuser)
    return client


@pytest.fixture
def role_editor(db, django_user_model):
    """A member of staff with the Editor role only (manage.py setup_roles), not a superuser."""
    from tracker.roles import sync_editor_group

    call_command("setup_roles", verbosity=0)
    user = django_user_model.objects.create_user("kenji", "", PASSWORD, is_staff=True)
    user.groups.add(sync_editor_group())
    return user


@pytest.fixture
def quiet_client():
    """A client that returns error responses (500, 503…) instead of raising the view's exception."""
    return Client(raise_request_exception=False)


# -- small data --------------------------------------------------------------------------------------------------


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


@pytest.fixture
def history(defence_pledge, source, make_commitment):
    """Three recorded updates over two commitments, and a dated source: the timeline's and the feeds' events."""
    source.published_on, source.published_precision = datetime.date(2025, 10, 1), "month"
    source.save()
    moved = services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Brought forward.",
            new_deadline=datetime.date(2026, 3, 31),
            new_deadline_precision="month",
        )
    )
    soybeans = make_commitment(slug="soybeans", title="Buy soybeans", kind="purchase")
    started = services.record_update(
        StatusUpdate(
            commitment=soybeans,
            happened_on=datetime.date(2025, 10, 21),
            source=source,
            note="Package reported.",
            new_status="in_the_works",
        )
    )
    measured = services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 11, 1),
            source=source,
            note="Spending measured.",
            measured_value="1.8",
            measured_as_of=datetime.date(2025, 11, 1),
            measured_precision="month",
        )
    )
    return {"moved": moved, "started": started, "measured": measured, "source": source}


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
def site(live_server, seed_rows):
    load_seed(seed_rows)
    return live_server.url


@pytest.fixture
def editor_page(site, role_editor, page):
    """The browser, logged in to the admin as kenji (the Editor role only), on conftest's site."""
    page.goto(f"{site}/admin/")
    page.fill("#id_username", role_editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")
    return page


@pytest.fixture
def staff_user(site, superuser):
    return superuser


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
