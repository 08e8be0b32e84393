"""Full-text search over commitments: their title and summary (in both languages), and the quotes that support
them (with the editors' translations).

One function for both databases. PostgreSQL uses its full-text search (English stemming, web-search syntax:
"quoted phrases", -exclusions, OR), served by the GIN indexes of migration 0002. SQLite, the embedded default,
falls back to matching every word as a case-insensitive substring.

Japanese is written without spaces, so a word is no token: to `english` (or `simple`) "防衛費を国内総生産の2" is one.
A search with Japanese in it matches every word as a substring, on both databases; on PostgreSQL the candidates come
first from GIN indexes of character bigrams (migration 0010's tracker_cjk_grams: each run of Japanese characters
cut into overlapping pairs, its last character alone), so "防衛費" is looked up as 防衛 & 衛費, and a substring check
of the few rows found rules out the pairs that are not side by side. No extension and no locale is involved: the
pairs are built by a plain SQL function and compared as they are (pg_trgm would miss two-character words such as 日米
and 関税, which have no trigram, and depends on the database's ctype).
"""

import re

from django.db import connection
from django.db.models import BigAutoField, BooleanField, F, Func, Lookup, Q, QuerySet, Value
from django.db.models.functions import Cast

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


# Japanese (and other CJK) characters: kanji, kana, the iteration mark, full-width letters and digits. Punctuation
# (、。「」・) is left out, so that runs end at it. Migration 0010's SQL function has the same class, written out.
CJK = (
    "\u3005-\u3007\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f"
)
CJK_RUN = re.compile(f"[{CJK}]+")
# The fields each index covers (the function's two arguments): a query must name exactly these to use them.
COMMITMENT_JA_FIELDS = ("title_ja", "summary_ja")
QUOTE_JA_FIELDS = ("text", "translation")


class CJKGrams(Func):
    """tracker_cjk_grams(a, b): the character pairs of the Japanese in two texts, as a tsvector (migration 0010)."""

    function = "tracker_cjk_grams"
    arity = 2

    def __init__(self, *fields):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(*(F(name) for name in fields), output_field=SearchVectorField())


class Matches(Func):
    """`document @@ query`, the query given as tsquery text built from the pairs alone (no parser involved)."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, document, query: str):
        from django.contrib.postgres.search import SearchQueryField

        super().__init__(document, Cast(Value(query), output_field=SearchQueryField()))


def cjk_grams(text: str) -> list[str]:
    """The pairs the index holds for `text`: each run of Japanese cut into overlapping pairs, and its last character
    alone (so that one character can be looked up as a prefix wherever it stands)."""
    return [run[i : i + 2] for run in CJK_RUN.findall(text) for i in range(len(run))]


def cjk_query(text: str) -> str:
    """The tsquery text that finds the candidates for every Japanese word of `text`; empty if it has none. A run of
    one character matches as a prefix (米 is in 日米 as its last character, in 米国 as a pair's first)."""
    terms = []
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            terms.append(f"'{run}':*")
        else:
            terms.extend(f"'{run[i : i + 2]}'" for i in range(len(run) - 1))
    # Only characters of CJK can be in a term: no quote or backslash to escape.
    return " & ".join(dict.fromkeys(terms))


def search_commitments(queryset: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    japanese = cjk_query(text)
    if connection.vendor == "postgresql" and japanese:
        return _search_postgresql_japanese(queryset, text, japanese)
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


def _own_words(word: str) -> Q:
    return (
        Q(title__icontains=word)
        | Q(summary__icontains=word)
        | Q(title_ja__icontains=word)
        | Q(summary_ja__icontains=word)
    )


def _quote_words(word: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}text__icontains": word}) | Q(**{f"{prefix}translation__icontains": word})


def _search_postgresql_japanese(queryset: QuerySet, text: str, japanese: str) -> QuerySet:
    # As for English: two index-backed lookups, one id list. Each checks its candidates for every word as typed.
    words = text.split()
    own = queryset.model.objects.filter(Matches(CJKGrams(*COMMITMENT_JA_FIELDS), japanese))
    quotes = Quote.objects.filter(Matches(CJKGrams(*QUOTE_JA_FIELDS), japanese))
    for word in words:
        own = own.filter(_own_words(word))
        quotes = quotes.filter(_quote_words(word))
    quoted = Quote.commitments.through.objects.filter(quote__in=quotes).values("commitment_id")
    return queryset.filter(pk__in=own.values("pk").union(quoted))


def _search_substrings(queryset: QuerySet, text: str) -> QuerySet:
    for word in text.split():
        quoted = Quote.commitments.through.objects.filter(_quote_words(word, "quote__")).values("commitment_id")
        queryset = queryset.filter(_own_words(word) | Q(pk__in=quoted))
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
