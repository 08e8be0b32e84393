import calendar
import datetime
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from tracker.caching import public_page
from tracker.clock import today
from tracker.dates import DatePrecision
from tracker.filters import TimelineFilterForm
from tracker.htmx import is_partial, page_or_partial, push_url
from tracker.models import Actor, Commitment, StatusUpdate
from tracker.timeline import events_page
from tracker.translated import in_page_language

PAGE_SIZE = 30
MAX_PAGE = 10_000


def _page_number(raw: str) -> int | None:
    """A page number from the URL, or None when it is not one."""
    # ASCII digits only: str.isdigit() also accepts "²" or "١", which int() refuses or reads as another number.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
        return None
    return int(raw) if 0 < int(raw) <= MAX_PAGE else None


def _period(year: int | None, month: int | None) -> tuple[datetime.date | None, datetime.date | None, str]:
    if year is None:
        return None, None, ""
    if not 1900 <= year <= 2200 or (month is not None and not 1 <= month <= 12):
        raise Http404("No such period.")
    if month is None:
        start = datetime.date(year, 1, 1)
        return start, datetime.date(year, 12, 31), DatePrecision.YEAR.describe(start)
    last = calendar.monthrange(year, month)[1]
    start = datetime.date(year, month, 1)
    return start, datetime.date(year, month, last), DatePrecision.MONTH.describe(start)


def _parties() -> list[tuple[str, str]]:
    """Everyone who made a commitment: a semi-join (EXISTS, one index probe per actor) rather than a join to every
    commitment made unique with DISTINCT."""
    pledged = Commitment.objects.filter(pledged_by=OuterRef("pk"))
    return list(Actor.objects.filter(Exists(pledged)).order_by("name").values_list("slug", in_page_language("name")))


def _requested_commitment(slug: str | None) -> list[tuple[str, str]]:
    """The commitment the timeline is filtered to, as a menu choice; none when no (existing) commitment is asked for."""
    if not slug:
        return []
    return list(Commitment.objects.filter(slug=slug).values_list("slug", in_page_language("title")))


@require_safe
@public_page
def timeline(request, year=None, month=None):
    start, end, period = _period(year, month)
    form = TimelineFilterForm(
        request.GET,
        parties=_parties(),
        commitments=_requested_commitment(request.GET.get("commitment")),
    )
    filters = form.active
    raw_page = request.GET.get("page", "1")
    page = _page_number(raw_page) or 1
    events, has_next = events_page(filters, page, PAGE_SIZE, start=start, end=end)
    query = urlencode(filters)
    context = {
        "form": form,
        "events": events,
        "page": page,
        "has_next": has_next,
        "has_previous": page > 1,
        "page_ignored": _page_number(raw_page) is None,
        "query_prefix": f"{query}&" if query else "",
        "period": period,
        "year": year,
        "years": range(2022, today().year + 1),
    }
    # "Load more" appends the next events; a filter change replaces the results and shows its URL.
    more = bool(request.GET.get("more"))
    response = render(
        request, page_or_partial(request, "tracker/timeline.html", "events" if more else "results"), context
    )
    if is_partial(request) and not more:
        push_url(response, request, query)
    return response


@require_safe
@public_page
def update_detail(request, update_id):
    update = get_object_or_404(
        StatusUpdate.objects.select_related(
            "commitment__pledged_by", "commitment__pledged_to", "source", "quote__speaker", "quote__according_to"
        ),
        pk=update_id,
    )
    return render(request, "tracker/update_detail.html", {"update": update})
