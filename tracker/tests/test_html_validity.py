"""Every public page is valid HTML, as the Nu Html Checker (vnu.jar, the W3C validator's engine) sees it.

The pages are rendered with the test client on the seed data and checked in ONE run of vnu (Java starts slowly);
each page then has its own test. Only full pages are checked: an htmx fragment is not a document.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tracker.models import Quote, Source

pytestmark = pytest.mark.slow  # a page checker: Java and the Nu Html Checker

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# page name -> a function of (first source id, a quote id) giving its path
PAGES = {
    "overview": lambda source, quote: "/",
    "commitment index": lambda source, quote: "/commitments/",
    "commitment": lambda source, quote: "/commitments/defence-2pct-gdp/",
    "source list": lambda source, quote: "/sources/",
    "source": lambda source, quote: f"/sources/{source}/",
    "statuses": lambda source, quote: "/statuses/",
    "methodology": lambda source, quote: "/methodology/",
    "corrections": lambda source, quote: "/corrections/",
    "quote in context": lambda source, quote: f"/quotes/{quote}/context/",
    "timeline": lambda source, quote: "/timeline/",
    "timeline month": lambda source, quote: "/timeline/2025/10/",
    "overview as of a day": lambda source, quote: "/?as_of=2025-10-20",
    "commitment as of a day": lambda source, quote: "/commitments/defence-2pct-gdp/?as_of=2025-10-20",
    "commitment index as of a day": lambda source, quote: "/commitments/?as_of=2025-10-20&kind=purchase",
    "what changed": lambda source, quote: "/changes/?from=2025-10-01&to=2025-10-31",
    "commitment with each side's reading": lambda source, quote: "/commitments/investment-550bn/",
    "commitment with parts": lambda source, quote: "/commitments/purchase-package/",
    "commitments needing review": lambda source, quote: "/commitments/?review=needs_review",
    "embeddable card": lambda source, quote: "/commitments/defence-2pct-gdp/embed/",
    "read API documentation": lambda source, quote: "/api/v1/docs/",
}


def _in_japanese(path_of):
    return lambda source, quote: f"/ja{path_of(source, quote)}"


# Every page in Japanese too (/ja/…).
# The read API's documentation is for programmers and lives with the API, outside /ja/ (tracker/urls.py).
PAGES |= {
    f"{name}, in Japanese": _in_japanese(path_of)
    for name, path_of in list(PAGES.items())
    if name != "read API documentation"
}

_results: dict[str, tuple[str, list[dict]]] = {}  # page name -> (path, vnu's messages), filled once per run


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java (17 or later) is needed to run the HTML checker: apt-get install openjdk-17-jre-headless")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR.relative_to(settings.BASE_DIR)} is missing: run `npm ci` (make test does it)")
    return java


def _check_all_pages() -> dict[str, tuple[str, list[dict]]]:
    java = _java()
    call_command("loaddata", "seed.json", verbosity=0)
    source_id = Source.objects.order_by("pk").values_list("pk", flat=True).first()
    quote_id = (
        Quote.objects.filter(commitments__slug="defence-2pct-gdp").order_by("pk").values_list("pk", flat=True).first()
    )
    client = Client()
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        files = {}
        for name, path_of in PAGES.items():
            path = path_of(source_id, quote_id)
            response = client.get(path)
            assert response.status_code == 200, f"{path} answered {response.status_code}"
            file = Path(folder) / (name.replace(" ", "-") + ".html")
            file.write_bytes(response.content)
            files[file.name] = (name, path)
        run = subprocess.run(
            [
                java,
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--exit-zero-always",
                "--stdout",
                *sorted(Path(folder).iterdir()),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    try:
        messages = json.loads(run.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report.\nstdout:\n{run.stdout[-2000:]}\nstderr:\n{run.stderr[-2000:]}")
    results: dict[str, tuple[str, list[dict]]] = {name: (path, []) for name, path in files.values()}
    for message in messages:
        # vnu names the file as a URL ("file:/tmp/…/source.html"): its last part is the page's file name.
        page = files.get(message.get("url", "").rsplit("/", 1)[-1])
        if page is None:  # a message about no one page (vnu itself)
            for _, found in results.values():
                found.append(message)
        else:
            results[page[0]][1].append(message)
    return results


def _readable(path: str, messages: list[dict]) -> str:
    lines = [f"{path}: {len(messages)} HTML error(s)"]
    for message in messages:
        where = (
            f"line {message.get('lastLine', '?')}, column {message.get('firstColumn', message.get('lastColumn', '?'))}"
        )
        lines.append(f"  - {where}: {message.get('message')}")
        if message.get("extract"):
            lines.append(f"      {message['extract'].strip()!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_it_serves_valid_html(name, db):
    if not _results:
        _results.update(_check_all_pages())
    path, messages = _results[name]
    errors = [message for message in messages if message.get("type") in ("error", "non-document-error")]
    assert not errors, _readable(path, errors)
