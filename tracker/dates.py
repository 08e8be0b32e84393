"""Dates that are only as precise as the sources that give them.

One convention everywhere: a deadline is stored as the *last* day of its period ("by March 2026" is
2026-03-31, "fiscal 2027" is 2028-03-31), any other date (announced, said, published, happened) as the
*first* day of its period ("in June 2025" is 2025-06-01). `DatePrecision` turns a stored date back into
the words a person would use.
"""

import calendar
import datetime
import re

from django.db import models
from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _


def japanese_fiscal_year(day: datetime.date) -> int:
    """Japan's fiscal year N runs from 1 April N to 31 March N+1."""
    return day.year if day.month >= 4 else day.year - 1


def japanese_era_year(year: int) -> str:
    """The year in the Japanese era that a fiscal year starting in April of `year` belongs to: "令和7" for 2025
    (Reiwa began on 1 May 2019, so fiscal 2019 is 令和元年度, "first year"), "平成30" for 2018."""
    if year >= 2019:
        return "令和元" if year == 2019 else f"令和{year - 2018}"
    return "平成元" if year == 1989 else f"平成{year - 1988}"


def long_date(day: datetime.date) -> str:
    """A day in words, in the reader's language: "28 October 2025", "2025年10月28日"."""
    return formats.date_format(day, gettext("j F Y"))


def short_date(day: datetime.date) -> str:
    """A day in a table cell: "28 Oct 2025", "2025年10月28日"."""
    return formats.date_format(day, gettext("j M Y"))


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Calendar year")
    FISCAL_YEAR = "fiscal_year", _("Japanese fiscal year (April–March)")

    def period(self, day: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The first and last day of the period that `day` falls in."""
        if self is DatePrecision.DAY:
            return day, day
        if self is DatePrecision.MONTH:
            last = calendar.monthrange(day.year, day.month)[1]
            return day.replace(day=1), day.replace(day=last)
        if self is DatePrecision.QUARTER:
            first_month = 3 * ((day.month - 1) // 3) + 1
            start = datetime.date(day.year, first_month, 1)
            end_month = first_month + 2
            return start, datetime.date(day.year, end_month, calendar.monthrange(day.year, end_month)[1])
        if self is DatePrecision.YEAR:
            return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
        fiscal = japanese_fiscal_year(day)
        return datetime.date(fiscal, 4, 1), datetime.date(fiscal + 1, 3, 31)

    def last_complete_start(self, day: datetime.date) -> datetime.date:
        """The first day of the latest period of this precision that has ended by `day` (inclusive): an event
        dated only to that period, or an earlier one, is sure to have happened by `day`."""
        start, end = self.period(day)
        return start if end == day else self.period(start - datetime.timedelta(days=1))[0]

    def is_period_start(self, day: datetime.date) -> bool:
        return self.period(day)[0] == day

    def is_period_end(self, day: datetime.date) -> bool:
        return self.period(day)[1] == day

    def describe(self, day: datetime.date) -> str:
        """The period in words, in the reader's language: "28 October 2025", "March 2026", "Q4 2022", "2026",
        "fiscal 2027"; in Japanese "2025年10月28日", "2026年3月", "2022年第4四半期", "2026年", "2027年度（令和9年度）".
        The wording is the catalogue's (locale/), so a translator can change it without touching the code."""
        if self is DatePrecision.DAY:
            return long_date(day)
        if self is DatePrecision.MONTH:
            return formats.date_format(day, gettext("F Y"))
        if self is DatePrecision.QUARTER:
            return gettext("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
        if self is DatePrecision.YEAR:
            return pgettext("a calendar year", "%(year)s") % {"year": day.year}
        fiscal = japanese_fiscal_year(day)
        words = gettext("fiscal %(year)s") % {"year": fiscal}
        if get_language() == "ja":
            # Japanese writes the era year beside it: 2025年度（令和7年度）. No other language does.
            words += f"（{japanese_era_year(fiscal)}年度）"
        return words

    def describe_deadline(self, day: datetime.date) -> str:
        """A deadline in words, with the exact last day when the period is longer than a day: "by March 2026 (end
        of fiscal 2025)", "2026年3月末まで（2025年度末）"."""
        period = self.describe(day)
        if self is DatePrecision.DAY:
            return gettext("by %(day)s") % {"day": period}
        words = pgettext("a deadline at the end of a period", "by %(period)s") % {"period": period}
        last_day = DatePrecision.DAY.describe(day)
        if self is DatePrecision.FISCAL_YEAR:
            return gettext("%(deadline)s (ends %(day)s)") % {"deadline": words, "day": last_day}
        if day.month == 3 and day.day == 31 and self is DatePrecision.MONTH:
            fiscal = japanese_fiscal_year(day)
            return gettext("%(deadline)s (end of fiscal %(year)s)") % {"deadline": words, "year": fiscal}
        return gettext("%(deadline)s (%(day)s)") % {"deadline": words, "day": last_day}


def describe(day: datetime.date | None, precision: str, *, empty: str | None = None) -> str:
    if day is None or not precision:
        return gettext("date not stated") if empty is None else empty
    return DatePrecision(precision).describe(day)


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})


def parse_period(text: str) -> tuple[datetime.date, DatePrecision] | None:
    """A period as people write it, as (its first day, its precision): "fiscal 2025", "FY2025", "March 2026",
    "Q3 2026", "2026", "28 October 2025". None when the words are not one of these (an ISO date is left to the date
    field, with the precision chosen beside it)."""
    words = " ".join(text.strip().lower().replace(",", " ").split())
    match = re.fullmatch(r"(?:fiscal(?: year)?|fy) ?(\d{4})", words)
    if match:
        return datetime.date(int(match.group(1)), 4, 1), DatePrecision.FISCAL_YEAR
    match = re.fullmatch(r"q([1-4]) ?(\d{4})|(\d{4}) ?q([1-4])", words)
    if match:
        quarter, year = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        return datetime.date(int(year), 3 * int(quarter) - 2, 1), DatePrecision.QUARTER
    match = re.fullmatch(r"([a-z]+)\.? (\d{4})", words)
    if match and match.group(1) in _MONTHS:
        return datetime.date(int(match.group(2)), _MONTHS[match.group(1)], 1), DatePrecision.MONTH
    match = re.fullmatch(r"(\d{4})", words)
    if match:
        return datetime.date(int(match.group(1)), 1, 1), DatePrecision.YEAR
    match = re.fullmatch(r"(\d{1,2}) ([a-z]+)\.? (\d{4})", words)
    if match and match.group(2) in _MONTHS:
        try:
            return datetime.date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1))), DatePrecision.DAY
        except ValueError:
            return None
    return None
