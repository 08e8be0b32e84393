"""Template helpers for the reuse links (calendars, alert feeds, citations, embeds): issue 17."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def url_with_query(name: str, query: str = "", *args) -> str:
    """The URL named `name` with the page's current filters (an urlencoded query string) after it."""
    url = reverse(name, args=args)
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def commitment_citation(context, commitment, as_of=None):
    """The "Cite this" of a commitment page: the state it shows (as of `as_of`, or today), retrieved today."""
    from tracker.citations import commitment_citation as cite
    from tracker.citations import download_urls
    from tracker.clock import today

    citation = cite(context["request"], commitment, as_of or today(), today())
    csl_url, bibtex_url = download_urls(
        "commitment_cite", commitment.slug, query=f"as_of={as_of.isoformat()}" if as_of else ""
    )
    return {"citation": citation, "csl_url": csl_url, "bibtex_url": bibtex_url}


@register.simple_tag(takes_context=True)
def source_citation(context, source):
    from tracker.citations import download_urls
    from tracker.citations import source_citation as cite
    from tracker.clock import today

    csl_url, bibtex_url = download_urls("source_cite", source.pk)
    return {"citation": cite(context["request"], source, today()), "csl_url": csl_url, "bibtex_url": bibtex_url}


@register.simple_tag
def alerts_url(query: str = "") -> str:
    """The alert feed (Atom) of the index's current filters."""
    from tracker.alerts import alerts_query

    return url_with_query("commitments_alerts", alerts_query(query))


@register.simple_tag
def card_url(commitment) -> str:
    """The social card of `commitment` in the page's language: reversed under the page's /ja/ prefix, if any."""
    return reverse("commitment_card", args=[commitment.slug])
