"""Template helpers for the reuse links (calendars, alert feeds, citations, embeds): issue 17."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def url_with_query(name: str, query: str = "", *args) -> str:
    """The URL named `name` with the page's current filters (an urlencoded query string) after it."""
    url = reverse(name, args=args)
    return f"{url}?{query}" if query else url
