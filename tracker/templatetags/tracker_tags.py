import datetime
import re

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from tracker.dates import DatePrecision, describe
from tracker.dates import long_date as _long_date
from tracker.dates import short_date as _short_date

register = template.Library()

# How precise a date is, in words, where it is less than a day.
PRECISION_WORDS: dict[str, StrOrPromise] = {
    DatePrecision.MONTH: _("to the month"),
    DatePrecision.QUARTER: _("to the quarter"),
    DatePrecision.YEAR: _("to the year"),
    DatePrecision.FISCAL_YEAR: _("to the fiscal year"),
}
# How precise a source's date is, on the sources' pages.
PRECISE_TO: dict[str, StrOrPromise] = {
    DatePrecision.DAY: _("precise to the day"),
    DatePrecision.MONTH: _("precise to the month"),
    DatePrecision.QUARTER: _("precise to the quarter"),
    DatePrecision.YEAR: _("precise to the calendar year"),
    DatePrecision.FISCAL_YEAR: _("precise to the japanese fiscal year (april–march)"),
}


def html_language(code: str) -> str:
    """The language as HTML's lang and hreflang write it: "en" or "ja" (settings' "en-gb" is British English, but
    the page is simply English to a reader choosing a language)."""
    return code.split("-")[0]


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[dict]:
    """This page in every language: its code for lang/hreflang, its name in itself, the same URL (path and query)
    in that language for the switcher, the canonical URL (path only, as the canonical link) in that language for
    the hreflang alternates, and whether it is the one shown."""
    request = context.get("request")
    current = translation.get_language()
    here = request.get_full_path() if request else "/"
    canonical = request.path if request else "/"
    return [
        {
            "code": html_language(code),
            "name": name,
            "url": translate_url(here, code),
            "absolute_url": request.build_absolute_uri(translate_url(canonical, code)) if request else "",
            "prefix": "" if code == settings.LANGUAGE_CODE else f"/{code}",
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag
def page_language() -> str:
    return html_language(translation.get_language() or settings.LANGUAGE_CODE)


# The deadline in words is the model's (Commitment.deadline_distance…); these filters pass it the day looked at.


@register.filter
def deadline_distance(commitment, today) -> str:
    return commitment.deadline_distance(today)


@register.filter
def deadline_countdown(commitment, today) -> str:
    return commitment.deadline_countdown(today)


@register.filter
def lapse_display(commitment, today) -> str:
    return commitment.lapse_display(today)


@register.filter
def deadline_passed(commitment, today) -> bool:
    return commitment.deadline_passed(today)


@register.filter
def precise_date(day: datetime.date | None, precision: str) -> str:
    """A date in words as precise as its source, marked up as <time> where HTML has a format for its precision.

    "24 October 2025" (2025-10-24), "October 2025" (2025-10), "2022" (2022); a quarter or a fiscal year has no
    machine-readable form, so it is words only. "date not stated" when there is no date.
    """
    words = describe(day, precision)
    if day is None or not precision:
        return words
    machine = {
        DatePrecision.DAY: day.isoformat(),
        DatePrecision.MONTH: f"{day:%Y-%m}",
        DatePrecision.YEAR: f"{day:%Y}",
    }.get(DatePrecision(precision))
    if machine is None:
        return words
    return format_html('<time datetime="{}">{}</time>', machine, words)


@register.filter
def revisable_name(key: str) -> str:
    """ "deadline" → its name on the page, in the reader's language (the key itself stays in URLs and downloads)."""
    from tracker.models import REVISABLE_NAMES

    return str(REVISABLE_NAMES.get(key, key))


@register.filter
def precise_to(precision: str) -> str:
    return str(PRECISE_TO.get(precision, "")) if precision else ""


@register.filter
def long_date(day) -> str:
    """ "28 October 2025" in English, "2025年10月28日" in Japanese; "" without a day."""
    return _long_date(day) if day else ""


@register.filter
def short_date(day) -> str:
    """ "28 Oct 2025" in English, "2025年10月28日" in Japanese; "" without a day."""
    return _short_date(day) if day else ""


@register.filter
def precision_words(precision: str) -> str:
    """ "to the month" for a date known to the month; "" for a day (or no precision)."""
    return str(PRECISION_WORDS.get(precision, "")) if precision else ""


@register.filter
def with_as_of(url: str, as_of) -> str:
    """Keep the reader in the past they chose: a link that carries `?as_of=`."""
    return f"{url}?as_of={as_of.isoformat()}" if as_of else url


@register.filter
def link_sources(note: str, sources) -> str:
    """A public note with each source it names by title linked to the source's page; line breaks kept. Everything
    else is escaped."""
    by_title = {escape(source.display_title).lower(): source for source in sources}
    lines: list[str] = [escape(line) for line in note.split("\n")]
    if by_title:
        pattern = re.compile("|".join(re.escape(title) for title in sorted(by_title, key=len, reverse=True)), re.I)

        def link(match) -> str:
            return f'<a href="{by_title[match.group(0).lower()].get_absolute_url()}">{match.group(0)}</a>'

        lines = [pattern.sub(link, line) for line in lines]
    return mark_safe("<br>".join(lines))  # noqa: S308 — escaped above; the links are ours


@register.simple_tag
def review_queue(size: int = 10) -> dict:
    """The admin index's review queue: how many commitments need review today, and the first `size` of them."""
    from django.conf import settings

    from tracker.clock import today
    from tracker.models import Commitment

    pending = Commitment.objects.as_of(None).needing_review(today()).order_by("title")
    return {"count": pending.count(), "rows": list(pending[:size]), "days": settings.TRACKER_REVIEW_AFTER_DAYS}
