"""What the tracker knew on a given day: the day asked for, and what was known by then.

The states themselves come from the stored projection: `Commitment.objects.as_of(day)` (tracker.models), written by
tracker.history. "Known by D" is cautious about vague dates: an event dated only to October 2025 is known from
31 October 2025, when the whole month has passed, not from the 1st.
"""

import datetime
import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext

from tracker.dates import DatePrecision

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits: \d would take any script's
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)


def known_by(day: datetime.date, date_field: str, precision_field: str) -> Q:
    """Rows whose date, at its precision, has surely passed by `day`."""
    condition = Q()
    for precision in DatePrecision:
        condition |= Q(**{precision_field: precision.value, f"{date_field}__lte": precision.last_complete_start(day)})
    return condition


def is_known_by(date: datetime.date | None, precision: str, day: datetime.date) -> bool:
    return date is not None and bool(precision) and date <= DatePrecision(precision).last_complete_start(day)


def parse_day(raw: str | None) -> datetime.date | None:
    """A day written YYYY-MM-DD, within the years the tracker can show; ValueError otherwise. The one parser of
    every day in a URL (`as_of`, `from`, `to`), so a page and its downloads always agree."""
    text = raw or ""
    if not ISO_DAY.fullmatch(text):
        raise ValueError("not a date like 2025-10-28")
    day = datetime.date.fromisoformat(text)  # ValueError for 2025-13-01
    if not EARLIEST <= day <= LATEST:
        raise ValueError("out of range")
    return day


def parse_as_of(raw: str | None) -> tuple[datetime.date | None, str]:
    """The day from `?as_of=YYYY-MM-DD`, or None and a message saying why it was ignored."""
    if not raw:
        return None, ""
    try:
        return parse_day(raw), ""
    except ValueError as error:
        if "range" in str(error):
            return None, gettext("That date is out of range, so today's state is shown.")
        return None, gettext("“%(value)s” is not a date like 2025-10-28, so today's state is shown.") % {
            "value": raw[:40]
        }


class DayField(forms.CharField):
    """A form field for a day in a URL, with the same parser as the pages (never a locale's formats)."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_day(value)
        except ValueError as error:
            raise forms.ValidationError(gettext("Enter a date like 2025-10-28.")) from error
