"""Security headers on every response, safe output everywhere, and production settings that pass Django's checks."""

import datetime
import json
import os
import subprocess
import sys

import pytest

from tracker import services
from tracker.models import Commitment, Quote, StatusUpdate

PUBLIC_URLS = [
    "/",
    "/commitments/",
    "/commitments/defence-2pct-gdp/",
    "/commitments.csv",
    "/commitments.json",
    "/sources/",
    "/sources/1/",
    "/quotes/1/context/",
    "/statuses/",
    "/methodology/",
    "/corrections/",
    "/corrections/feed/",
    "/changes/",
    "/changes.csv",
    "/changes.json",
    "/timeline/",
    "/timeline/2025/",
    "/timeline/feed/",
    "/commitments/defence-2pct-gdp/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/admin/login/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_response_carries_the_security_headers(client, seeded, url):
    response = client.get(url, secure=True)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives.get("style-src", "")
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_production_settings_pass_the_deploy_checks():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "k" * 64 + "-production-like-Secret-9",
        "ALLOWED_HOSTS": "tracker.example",
        "SECURE_SSL_REDIRECT": "1",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


EVIL = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


@pytest.fixture
def evil_data(defence_pledge, source):
    source.title = EVIL
    source.text = f"{source.text} {EVIL}"
    source.published_on, source.published_precision = datetime.date(2025, 10, 1), "month"
    source.save()
    defence_pledge.title = EVIL
    defence_pledge.summary = EVIL
    defence_pledge.note = EVIL
    services.save_commitment(defence_pledge)  # the title is the editors' wording: saved as the admin saves it
    quote = Quote.objects.create(text=EVIL, source=source)
    quote.commitments.add(defence_pledge)
    services.record_update(
        StatusUpdate(
            commitment=defence_pledge, happened_on=datetime.date(2025, 10, 24), source=source, quote=quote, note=EVIL
        )
    )
    return {"quote": quote, "source": source}


def test_stored_html_is_escaped_on_every_page_feed_and_export(client, evil_data):
    urls = [
        "/",
        "/commitments/",
        "/commitments/?q=img",
        "/commitments/defence-2pct-gdp/",
        f"/sources/{evil_data['source'].pk}/",
        "/sources/",
        f"/quotes/{evil_data['quote'].pk}/context/",
        "/timeline/",
        "/timeline/feed/",
        "/commitments/defence-2pct-gdp/feed/",
        "/commitments.json",
        "/sitemap.xml",
        f"/timeline/updates/{StatusUpdate.objects.get().pk}/",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "<img src=x" not in body, url
        assert "<script>alert(2)" not in body, url
    data = json.loads(client.get("/commitments.json").content)
    assert data["results"][0]["title"] == EVIL  # JSON carries the value itself, as data


def test_exported_csv_cells_cannot_run_as_formulas(client, defence_pledge, make_commitment):
    for n, dangerous in enumerate(["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]):
        make_commitment(slug=f"formula-{n}", title=dangerous)
    body = client.get("/commitments.csv").content.decode()
    for line in body.splitlines()[1:]:
        title_cell = line.split(",")[1]
        assert not title_cell.lstrip('"').startswith(("=", "+", "-", "@")), line


def test_the_editors_csv_export_neutralises_formulas_and_reads_them_back(db, make_commitment, tmp_path):
    import io

    from django.core.management import call_command

    make_commitment(slug="formula", title='=HYPERLINK("http://evil")')
    out = io.StringIO()
    call_command("export_csv", "commitments", stdout=out)
    exported = out.getvalue()
    assert ",=HYPERLINK" not in exported and "'=HYPERLINK" in exported
    path = tmp_path / "back.csv"
    path.write_text(exported, encoding="utf-8")
    call_command("import_csv", "commitments", str(path), stdout=io.StringIO())
    assert Commitment.objects.get(slug="formula").title == '=HYPERLINK("http://evil")'
