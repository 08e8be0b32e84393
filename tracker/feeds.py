"""Atom feeds: every event of the timeline, and one per commitment."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.corrections import corrections
from tracker.models import REVISABLE_NAMES, Commitment
from tracker.timeline import events_page
from tracker.translated import translated

FEED_SIZE = 50


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class TimelineFeed(Feed):
    feed_type = Atom1Feed
    title = _("Japan–US commitments tracker: timeline")
    subtitle = _("Status changes, revised targets and deadlines, measurements and new sources, newest first.")

    def link(self):
        return reverse("timeline")

    def filters(self, obj) -> dict[str, str]:
        return {}

    def items(self, obj=None):
        events, _ = events_page(self.filters(obj), 1, FEED_SIZE)
        return events

    def item_title(self, event):
        if event.update:
            changes = gettext("; ").join(
                f"{REVISABLE_NAMES.get(what, what)}: {old} → {new}" for what, old, new in event.update.changes()
            )
            return f"{translated(event.update.commitment, 'title').text}: {changes or event.update.note[:120]}"
        return gettext("New source: %(title)s") % {"title": event.source.display_title}

    def item_description(self, event):
        # Atom's <summary type="html"> is HTML: the editors' text is escaped into it (a feed reader then shows a
        # "<script>" in a note as those characters, never runs it), lines kept as <br>.
        return linebreaksbr(self._description(event), autoescape=True)

    def _description(self, event) -> str:
        if event.update:
            update = event.update
            parts = [f"{update.happened_display}. {update.note}"]
            if update.is_measurement:
                parts.append(gettext("Measured: %(measured)s.") % {"measured": update.measurement_display})
            if update.quote:
                parts.append(f"“{update.quote.text}”")
            if update.source:
                parts.append(gettext("Source: %(title)s.") % {"title": update.source.display_title})
            return "\n".join(parts)
        return f"{event.source.get_kind_display()}, {event.source.published_display}: {event.source.description}"

    def item_link(self, event):
        if event.update:
            return reverse("update_detail", args=[event.update.pk])
        return event.source.get_absolute_url()

    def item_guid(self, event):
        return f"{self.item_link(event)}#{event.anchor}"

    def item_pubdate(self, event):
        """<published>: the day of the event (noon in Tokyo: the sources give days, not times)."""
        return _as_datetime(event.day)

    def item_updateddate(self, event):
        """<updated>: when the tracker recorded the event or last changed it, so that news found late (dated months
        back) still reaches subscribers as new; the event's day for rows recorded before these times were kept."""
        update = event.update
        if update is not None and (update.changed_at or update.recorded_at):
            return update.changed_at or update.recorded_at
        return _as_datetime(event.day)


class CommitmentFeed(TimelineFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Commitment, slug=slug)

    def title(self, commitment):
        return gettext("%(title)s: Japan–US commitments tracker") % {"title": translated(commitment, "title").text}

    def subtitle(self, commitment):
        return commitment.summary

    def link(self, commitment):
        return commitment.get_absolute_url()

    def filters(self, commitment) -> dict[str, str]:
        return {"commitment": commitment.slug}


class CorrectionsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Japan–US commitments tracker: corrections")
    subtitle = _("Every correction of a published fact, what changed (old → new) and why, newest first.")

    def link(self):
        return reverse("corrections")

    def items(self):
        return corrections(limit=FEED_SIZE)

    def item_title(self, correction):
        words = gettext("%(what)s deleted:") if correction.deleted else gettext("%(what)s corrected:")
        return f"{words % {'what': correction.what}} {correction.subject}"

    def item_description(self, correction):
        lines = [f"{change.label}: {change.old} → {change.new}" for change in correction.changes]
        lines.append(gettext("Reason: %(reason)s") % {"reason": correction.reason})
        return "\n".join(lines)

    def item_link(self, correction):
        return f"{reverse('corrections')}#{correction.anchor}"

    def item_guid(self, correction):
        return self.item_link(correction)

    def item_pubdate(self, correction):
        return correction.when

    def item_updateddate(self, correction):
        return correction.when
