"""The Japanese catalogue is complete, compiled, and used: `makemessages -l ja` finds nothing untranslated or fuzzy,
the committed .mo is the .po compiled, and no interface string shows in English on a /ja/ page."""

import gettext
import html
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tracker.models import Actor, Commitment, CommitmentKind, Quote, Reading, Source, StatusUpdate

CATALOGUE = settings.BASE_DIR / "locale" / "ja" / "LC_MESSAGES"


def _statistics(po: Path) -> str:
    """msgfmt's count of translated, fuzzy and untranslated messages; --check also fails a msgstr whose
    placeholders differ from its msgid's."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


def test_makemessages_leaves_nothing_untranslated_or_fuzzy(tmp_path, monkeypatch):
    """The catalogue as makemessages would update it from today's code and templates (on a copy: the real one
    is left alone)."""
    copy = tmp_path / "ja" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(CATALOGUE / "django.po", copy / "django.po")
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("makemessages", locale=["ja"], verbosity=0)
    statistics = _statistics(copy / "django.po")
    assert re.fullmatch(r"\d+ translated messages\.", statistics), statistics
    assert int(statistics.split()[0]) > 400
    # The messages makemessages found are the ones the catalogue has: nothing obsolete is kept around either.
    updated = (copy / "django.po").read_text()
    assert "\n#~ " not in updated
    assert updated.count("\nmsgid ") == (CATALOGUE / "django.po").read_text().count("\nmsgid ")


def _catalog(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def test_the_committed_mo_is_the_po_compiled(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True)
    assert _catalog(CATALOGUE / "django.mo") == _catalog(compiled)


# -- no English left on the Japanese pages ----------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes (not scripts or styles) and the attributes read aloud or shown
    (aria-label, title, placeholder, alt) and the page's description."""

    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):  # code: an <iframe> snippet to paste, not words to read
            self._skip += 1
        attributes = dict(attrs)
        self.pieces += [attributes[name] or "" for name in self.SPOKEN if name in attributes]
        if tag == "meta" and attributes.get("name") == "description":
            self.pieces.append(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.pieces.append(data)


def _database_texts() -> list[str]:
    """Everything the pages show from the database (titles, summaries, notes, quotes, names, sources…): the other
    half of the translation work, not the catalogue's. Longest first, so that a title goes before a name in it."""
    texts: list[str] = []
    models = (Actor, Commitment, Quote, Reading, Source, StatusUpdate)
    # The audit history too: the corrections log shows the values a correction replaced.
    for model in (*models, *(model.history.model for model in models)):
        fields = [f.attname for f in model._meta.concrete_fields if f.get_internal_type() in ("CharField", "TextField")]
        for row in model.objects.values_list(*fields):
            texts += [value for value in row if value]
    texts += [source.display_title for source in Source.objects.all()]
    # Codes (a status, a precision, a slug) are not text a reader sees as such.
    return sorted(
        {text for text in texts if len(text) >= 3 and not re.fullmatch(r"[a-z0-9_-]+", text)}, key=len, reverse=True
    )


def _fragments(msgid: str) -> list[str]:
    """The fixed words of a message: what is left between its placeholders and its HTML tags."""
    text = re.sub(r"%\([a-z_]+\)s|%%|<[^>]+>", "\x00", msgid)
    pieces = [piece.strip(" .,:;()—–·") for piece in text.split("\x00")]
    # Words only: date formats ("j F Y"), single letters and punctuation say nothing about the language shown.
    return [piece for piece in pieces if re.search(r"[A-Za-z]{3,}", piece)]


def _english_messages() -> dict[str, str]:
    """Every English message the catalogue translates, by its fragments, with the Japanese it should show."""
    messages = {}
    for key, translation in _catalog(CATALOGUE / "django.mo").items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]  # without its context
        if msgid and translation and translation != msgid:  # a name the same in both ("BibTeX") is not English left
            for fragment in _fragments(msgid):
                messages[fragment] = translation
    return messages


JAPANESE_PAGES = [
    "/ja/",
    "/ja/?as_of=2025-10-29",
    "/ja/commitments/",
    "/ja/commitments/?status=in_the_works&q=japan&as_of=banana&kind=nope",
    "/ja/commitments/?level=parts&page=99",
    "/ja/commitments/defence-2pct-gdp/",
    "/ja/commitments/defence-2pct-gdp/?as_of=2025-10-20",
    "/ja/commitments/investment-550bn/",
    "/ja/commitments/us-tariff-15pct/",
    "/ja/timeline/",
    "/ja/timeline/2025/10/",
    "/ja/timeline/?type=banana",
    "/ja/changes/?from=2025-10-01&to=2025-11-30",
    "/ja/changes/?from=2025-11-30&to=nonsense",
    "/ja/sources/",
    "/ja/sources/1/",
    "/ja/quotes/1/context/",
    "/ja/statuses/",
    "/ja/methodology/",
    "/ja/corrections/",
    "/ja/no-such-page/",
]


@pytest.mark.parametrize("url", JAPANESE_PAGES)
def test_no_interface_string_is_left_in_english_on_a_japanese_page(client, seeded, fixed_today, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    page = _VisibleText()
    page.feed(response.content.decode())
    texts = _database_texts()
    everything = "\n".join(texts)
    interface = []
    for piece in page.pieces:
        text = html.unescape(piece).strip()
        if text.strip("“”").rstrip("…") in everything:
            continue  # all content (or the start of some, cut short with "…", maybe between quotation marks)
        for content in texts:
            text = text.replace(content, " ")  # a title inside an interface sentence: "<title>: measurements…"
        interface.append(text)
    shown = "\n".join(interface)
    # The language switcher names English in English, on purpose; the slug-like values of the filter menus too.
    shown = shown.replace("English", "")
    untranslated = {
        fragment: japanese
        for fragment, japanese in _english_messages().items()
        if re.search(rf"(?<![A-Za-z]){re.escape(fragment)}(?![A-Za-z])", shown)
    }
    assert not untranslated, f"{url} shows in English: {sorted(untranslated)}"
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", shown), "the page shows no Japanese at all"


def test_the_check_would_see_an_english_page():
    """The comparison finds English where there is English (so the test above can fail)."""
    messages = _english_messages()
    assert "Skip to content" in messages and "Where the commitments stand" in messages
    assert str(CommitmentKind.DEFENCE_SPENDING.label) == "Defence spending"
