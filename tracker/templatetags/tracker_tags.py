import datetime

from django import template
from django.utils.html import format_html

from tracker.dates import DatePrecision, describe
from tracker.models import Status

register = template.Library()

SETTLED = (Status.KEPT, Status.BROKEN, Status.COMPROMISE)

# How precise a date is, in words, where it is less than a day.
PRECISION_WORDS = {
    DatePrecision.MONTH: "to the month",
    DatePrecision.QUARTER: "to the quarter",
    DatePrecision.YEAR: "to the year",
    DatePrecision.FISCAL_YEAR: "to the fiscal year",
}


def _days_in_words(days: int) -> str:
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    if days == 0:
        return "due today"
    return f"deadline passed {-days} day{'s' if days != -1 else ''} ago"


@register.filter
def deadline_distance(commitment, today) -> str:
    """ "120 days left", "due today" or "deadline passed 30 days ago", whatever the status; "" without a deadline."""
    days = commitment.days_to_deadline(today)
    return "" if days is None else _days_in_words(days)


@register.filter
def deadline_countdown(commitment, today) -> str:
    """ "120 days left", "deadline passed 30 days ago", or "" when there is no deadline or it is settled."""
    if commitment.status in SETTLED:
        return ""
    return deadline_distance(commitment, today)


@register.filter
def deadline_passed(commitment, today) -> bool:
    days = commitment.days_to_deadline(today)
    return days is not None and days < 0


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
def precision_words(precision: str) -> str:
    """ "to the month" for a date known to the month; "" for a day (or no precision)."""
    return PRECISION_WORDS.get(precision, "") if precision else ""


@register.filter
def with_as_of(url: str, as_of) -> str:
    """Keep the reader in the past they chose: a link that carries `?as_of=`."""
    return f"{url}?as_of={as_of.isoformat()}" if as_of else url
