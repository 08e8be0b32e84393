"""Alerts for any view: an Atom feed of the events of the commitments a filtered view of the index selects.

`/commitments.atom?kind=purchase` follows every purchase; `&type=status` only their status changes (the timeline's
event types). The entries are the timeline feed's (same titles, escaped summaries, `<updated>` when the tracker learnt
of the event), so a reader subscribes to exactly what they follow.
"""

from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from tracker.feeds import FEED_SIZE, TimelineFeed
from tracker.models import StatusUpdate
from tracker.timeline import UPDATE_CONDITIONS, Event

# What an alert feed takes from the index's parameters: the filters, not how the index shows them.
NOT_FILTERS = ("as_of", "sort", "page")


def alerts_query(index_query: str) -> str:
    """The index's query string (its filters in use) as the alert feed's: the same filters, without the day and
    sort order that only change how the index shows them."""
    query = QueryDict(index_query, mutable=True)
    for name in NOT_FILTERS:
        query.pop(name, None)
    return query.urlencode()


class IndexAlertsFeed(TimelineFeed):
    def get_object(self, request):
        from tracker.views.commitment_index import _filtered

        commitments = _filtered(request)
        commitments.is_valid()  # cleans the filters: `active` (the feed's title) reads them
        event_type = request.GET.get("type", "")
        commitments.event_type = event_type if event_type in UPDATE_CONDITIONS else ""
        # This feed, with its filters: its rel="self" and its id (a feed of other filters is another feed).
        commitments.feed_path = request.get_full_path()
        commitments.feed_id = request.build_absolute_uri(commitments.feed_path)
        return commitments

    def _chosen(self, commitments) -> str:
        chosen = [f"{name}: {value}" for name, value in commitments.active.items()]
        if commitments.event_type:
            chosen.append(f"type: {commitments.event_type}")
        return "; ".join(chosen)

    def title(self, commitments):
        chosen = self._chosen(commitments)
        if not chosen:
            return _("Japan–US commitments tracker: alerts for every commitment")
        return _("Japan–US commitments tracker: alerts for %(filters)s") % {"filters": chosen}

    def subtitle(self, commitments):
        return _("The events of the commitments these filters select, newest first.")

    def link(self, commitments):
        """The index with the same filters (the event type is the feed's own)."""
        query = urlencode(commitments.active)
        return f"{reverse('commitment_index')}?{query}" if query else reverse("commitment_index")

    def feed_url(self, commitments):
        return commitments.feed_path

    def feed_guid(self, commitments):
        return commitments.feed_id

    def items(self, commitments):
        selected = commitments.qs.order_by().values("pk")
        updates = StatusUpdate.objects.filter(commitment__in=selected)
        if commitments.event_type:
            updates = updates.filter(UPDATE_CONDITIONS[commitments.event_type])
        updates = updates.select_related(
            "commitment__pledged_by", "commitment__pledged_to", "source", "quote__speaker", "quote__according_to"
        ).order_by("-happened_on", "-id")[:FEED_SIZE]
        return [Event("update", update.happened_on, update=update) for update in updates]
