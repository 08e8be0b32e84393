"""Filters for the editors' translations (tracker/translated.py); a builtin in every template (settings.TEMPLATES)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tracker.translated import (
    ENGLISH_ONLY,
    TRANSLATION_LABEL,
    TRANSLATION_NOTICE,
    Translated,
    page_language,
    translated,
)

register = template.Library()


@register.filter
def tr(obj, field: str) -> SafeString:
    """`{{ commitment|tr:"title" }}`: the field in the page's language, escaped, English marked where it stands in."""
    return translated(obj, field).__html__()


@register.filter
def tr_parts(obj, field: str) -> Translated:
    """`{% with note=commitment|tr_parts:"note" %}`: its text, language and whether it is English standing in."""
    return translated(obj, field)


@register.filter
def tr_text(obj, field: str) -> str:
    """`{{ commitment|tr_text:"title" }}`: the same as plain text, for a <title> or an attribute."""
    return translated(obj, field).text


@register.filter
def lang_attr(text_lang: str) -> SafeString:
    """` lang="ja"` on an element whose text is not in the page's language (nothing otherwise). `{{ "en"|lang_attr }}`
    marks our own English that has no Japanese column yet (event notes, descriptions) on Japanese pages."""
    return format_html(' lang="{}"', text_lang) if text_lang and text_lang != page_language() else SafeString("")


@register.simple_tag
def quote_translation(quote, source=None) -> SafeString:
    """The editors' translation of a quote, under it, when there is one in the page's language (and the quote is
    in the other): labelled, never shown as the quote. `source`: the quote's, when the caller has it loaded."""
    source = source or quote.source
    language = page_language()
    if not quote.translation or source.language == language:
        return SafeString("")
    return format_html(
        '<p class="quote-translation"><span class="translation-label">{}:</span> {}</p>',
        TRANSLATION_LABEL[language],
        quote.translation,
    )


@register.filter
def fallback_marker(value: Translated) -> SafeString:
    """英語のみ after English standing in for a missing translation (for text shown through another filter)."""
    if not value.fallback:
        return SafeString("")
    return format_html(' <small class="english-only" lang="ja">{}</small>', ENGLISH_ONLY)


@register.simple_tag
def translation_notice() -> SafeString:
    """On a Japanese page: that the Japanese of our own words is the editors' translation."""
    if page_language() != "ja":
        return SafeString("")
    return format_html('<p class="meta translation-notice">{}</p>', TRANSLATION_NOTICE)


@register.filter
def source_title(source) -> SafeString:
    """A source's title as printed, in its own language (marked when it is not the page's), or our description."""
    if source.title and source.language != page_language():
        return format_html('<span lang="{}">{}</span>', source.language, source.title)
    return format_html("{}", source.display_title)
