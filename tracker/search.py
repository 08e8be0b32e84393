"""Full-text search over commitments: their title and summary, and the quotes that support them.

One function for both databases. PostgreSQL uses its full-text search (English stemming, web-search syntax:
"quoted phrases", -exclusions, OR), served by the GIN indexes of migration 0002. SQLite, the embedded default,
falls back to matching every word as a case-insensitive substring.
"""

from django.db import connection
from django.db.models import BigAutoField, Lookup, Q, QuerySet

from tracker.models import Quote

SEARCH_CONFIG = "english"
# The expressions the GIN indexes are built on: a query must use exactly these for PostgreSQL to use them.
COMMITMENT_DOCUMENT_FIELDS = ("title", "summary")
QUOTE_DOCUMENT_FIELDS = ("text",)


def commitment_document():
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*COMMITMENT_DOCUMENT_FIELDS, config=SEARCH_CONFIG)


def quote_document():
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*QUOTE_DOCUMENT_FIELDS, config=SEARCH_CONFIG)


def search_commitments(queryset: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, text)
    return _search_substrings(queryset, text)


def _search_postgresql(queryset: QuerySet, text: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    # Two index-backed lookups, one id list: an OR of the two conditions would defeat the commitments' index.
    own = queryset.model.objects.alias(document=commitment_document()).filter(document=query).values("pk")
    quoted = Quote.commitments.through.objects.filter(
        quote__in=Quote.objects.alias(document=quote_document()).filter(document=query)
    ).values("commitment_id")
    return queryset.filter(pk__in=own.union(quoted))


def _search_substrings(queryset: QuerySet, text: str) -> QuerySet:
    for word in text.split():
        quoted = Quote.commitments.through.objects.filter(quote__text__icontains=word).values("commitment_id")
        queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(pk__in=quoted))
    return queryset


@BigAutoField.register_lookup
class InIds(Lookup):
    """`pk__in_ids=[…]`: `pk__in`, with the whole list as one query parameter (an array on PostgreSQL, a JSON array
    on SQLite) rather than one placeholder per id. The index page passes the ids a search matched to nine queries:
    with `__in`, a search matching a thousand commitments meant nine thousand placeholders to build and parse."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        # Written out as text ("{1,2,3}" or "[1,2,3]"): psycopg's own list adaptation is far slower in Python.
        ids = ",".join(str(int(pk)) for pk in value)
        return "%s", [f"{{{ids}}}" if connection.vendor == "postgresql" else f"[{ids}]"]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(({rhs})::bigint[])", [*lhs_params, *rhs_params]
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", [*lhs_params, *rhs_params]
