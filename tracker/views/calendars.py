"""Deadline calendars to subscribe to: the index's (any filters) and one per commitment (tracker/calendars.py)."""

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tracker.caching import public_page
from tracker.calendars import calendar_for
from tracker.models import Commitment, show_state_then
from tracker.views.commitment_index import _filtered, _matching


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # inline: a calendar application subscribes to the URL; a browser offers to open or save the file.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@public_page
def commitments_calendar(request):
    """The deadlines and lapse dates of the commitments the index's filters select (all of them without filters)."""
    commitments = _filtered(request)
    dated = _matching(commitments).filter(Q(deadline_then__isnull=False) | Q(lapses_on__isnull=False))
    name = _("Japan–US commitments: deadlines")
    return _ics(calendar_for(request, name, show_state_then(dated)), "commitments.ics")


@require_safe
@public_page
def commitment_calendar(request, slug):
    commitment = get_object_or_404(Commitment.objects.select_related("pledged_by"), slug=slug)
    name = _("%(title)s: deadlines") % {"title": commitment.title}
    return _ics(calendar_for(request, name, [commitment]), f"{commitment.slug}.ics")
