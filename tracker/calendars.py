"""Deadline calendars (iCalendar, RFC 5545): a commitment's deadline and its lapse date ("valid until") as all-day
events, for every commitment, any filtered view of the index, or one commitment.

A deadline is stored as the last day of its period ("by March 2026" is 2026-03-31), so its event is that day, all
day long, and its summary and description say the period in words: a calendar shows the day, the reader still learns
the deadline was only ever "by March 2026". A lapse date is a day, never a deadline, and is said so.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tracker.models import Commitment
from tracker.translated import translated

PRODUCT_ID = "-//Japan-US commitments tracker//Deadline calendar//EN"


def _all_day(event: Event, day: datetime.date) -> None:
    event.add("dtstart", day)  # a date, not a datetime: VALUE=DATE, an all-day event
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy


def _events(commitment: Commitment, url: str, host: str, stamp: datetime.datetime) -> list[Event]:
    events = []
    status = commitment.get_status_display()
    if commitment.deadline is not None:
        event = Event()
        words = commitment.deadline_display  # "by March 2026 (end of fiscal 2025)"
        event.add("uid", f"deadline-{commitment.slug}@{host}")
        event.add("dtstamp", stamp)
        _all_day(event, commitment.deadline)
        event.add(
            "summary",
            _("Deadline: %(title)s (%(deadline)s)")
            % {"title": translated(commitment, "title").text, "deadline": words},
        )
        event.add(
            "description",
            _("%(title)s. Deadline %(deadline)s: this is the last day of that period. Status: %(status)s.\n%(url)s")
            % {"title": translated(commitment, "title").text, "deadline": words, "status": status, "url": url},
        )
        event.add("url", url)
        event.add("categories", ["deadline"])
        events.append(event)
    if commitment.lapses_on is not None:
        event = Event()
        event.add("uid", f"lapse-{commitment.slug}@{host}")
        event.add("dtstamp", stamp)
        _all_day(event, commitment.lapses_on)
        event.add("summary", _("Lapses: %(title)s") % {"title": translated(commitment, "title").text})
        event.add(
            "description",
            _("%(title)s is valid until this day (a lapse date, not a deadline). Status: %(status)s.\n%(url)s")
            % {"title": translated(commitment, "title").text, "status": status, "url": url},
        )
        event.add("url", url)
        event.add("categories", ["lapse"])
        events.append(event)
    return events


def calendar_for(request, name: str, commitments) -> bytes:
    """The calendar named `name` with the deadline and lapse events of `commitments`, linking to their pages."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().replace(microsecond=0)
    host = request.get_host()
    for commitment in commitments:
        url = request.build_absolute_uri(commitment.get_absolute_url())
        for event in _events(commitment, url, host, stamp):
            calendar.add_component(event)
    return calendar.to_ical()
