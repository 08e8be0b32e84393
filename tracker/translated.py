"""The editors' translations of our own words (titles, summaries, notes, names, roles), shown in the page's language.

English is the original of everything the editors write; the Japanese is kept beside it in `<field>_ja` columns
(tracker/models.py). On a Japanese page a field shows its Japanese, or, not translated yet, its English marked
`lang="en"` with a visible 英語のみ ("English only"): never an empty page. On an English page the English shows.

Why plain columns rather than a package: django-modeltranslation 0.20.6 (tried on Django 6.1.3: it loads) makes
`title` a descriptor that reads and writes the column of the active language, so the history replay, which sets
`commitment.title`, would write Japanese or English depending on the request it runs in, and simple-history's
historical models get none of its columns (the audit trail would lose the translations); django-parler keeps them in
a table of its own, one more join for the "as of" FilteredRelation, ordering and search. Here the Japanese of a
versioned title is one more column of the same Revisable part (models.REVISABLE), replayed with the English.

Quotes are not ours: a quote is always shown in its source's language (`lang` of the source), with the editors'
translation, when there is one in the page's language, under it and labelled as such (templates/tracker/_quote.html).
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# Shown beside English standing in for a missing Japanese translation, and above the editors' translations: written
# in the language of the page they appear on, so they are content labels rather than interface strings.
ENGLISH_ONLY = "英語のみ"
TRANSLATION_LABEL = {"en": "Editors’ translation", "ja": "編集部訳"}
# Said once on a Japanese page that shows translated titles, summaries or notes.
TRANSLATION_NOTICE = "日本語のタイトル・概要・注記は編集部による翻訳です（原文は英語）。"


def page_language() -> str:
    return "ja" if (get_language() or "").startswith("ja") else "en"


@dataclass(frozen=True)
class Translated:
    text: str
    lang: str  # the language `text` is in
    fallback: bool  # English shown on a Japanese page, the Japanese missing

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> SafeString:
        if not self.fallback:
            return format_html("{}", self.text)
        return format_html(
            '<span lang="en">{}</span> <small class="english-only" lang="ja">{}</small>', self.text, ENGLISH_ONLY
        )


def translated(obj, field: str) -> Translated:
    """`obj.<field>` in the page's language: the editors' Japanese on a Japanese page, English otherwise or when it
    is missing (then marked). Reads only columns already loaded: no query."""
    english = getattr(obj, field) or ""
    if page_language() != "ja":
        return Translated(english, "en", False)
    japanese = getattr(obj, f"{field}_ja", "") or ""
    if japanese or not english:
        return Translated(japanese, "ja", False)
    return Translated(english, "en", True)


def in_page_language(field: str):
    """`field` in the page's language, in SQL (for menus, whose options carry no marker): the Japanese where there
    is one on a Japanese page, the English otherwise."""
    from django.db.models import F, Value
    from django.db.models.functions import Coalesce, NullIf

    if page_language() != "ja":
        return F(field)
    return Coalesce(NullIf(F(f"{field}_ja"), Value("")), F(field))
