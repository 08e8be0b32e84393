import pytest
from django.db import connection

from tracker.models import Commitment, Quote
from tracker.search import search_commitments


def _slugs(text):
    return sorted(search_commitments(Commitment.objects.all(), text).values_list("slug", flat=True))


def test_it_finds_a_commitment_by_the_words_of_its_quotes(seeded):
    assert _slugs("golden age") == ["alliance-deterrence"]


def test_it_needs_every_word(seeded):
    assert "rare-earths-critical-minerals" in _slugs("rare earths")
    assert _slugs("rare earths soybeans") == []


def test_it_returns_everything_for_a_blank_search(seeded):
    assert len(_slugs("   ")) == Commitment.objects.count()


def test_it_returns_each_commitment_once_even_when_many_quotes_match(seeded):
    slugs = _slugs("defense")
    assert len(slugs) == len(set(slugs)) > 1


def test_it_survives_search_syntax_and_odd_characters(seeded):
    every = set(_slugs(""))
    for text in ['"unbalanced', "-", "OR OR", "a & b | !c", "'; DROP TABLE x; --", "日本", "\\", "%_"]:
        assert set(_slugs(text)) <= every, text  # an answer (a subset of the commitments), not an error
    assert _slugs("%_") == []  # LIKE's wildcards are matched as typed, not as wildcards
    assert set(_slugs("")) == every  # and the injection attempt was only words


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL only")
def test_it_is_served_by_the_gin_indexes_on_postgresql(seeded):
    with connection.cursor() as cursor:
        # Statistics of this transaction's rows, whatever autovacuum last saw (after the scale-data tests, say).
        cursor.execute("ANALYZE tracker_commitment, tracker_quote, tracker_quote_commitments")
        # The seed data is small enough for a scan to win otherwise: a sequential scan, or a full scan of a primary
        # key's index filtering every row (with about 80 quotes, and their statistics known, the planner's choice).
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        plan = search_commitments(Commitment.objects.all(), "defence spending").explain()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert "commitment_search_gin" in plan
    assert "quote_search_gin" in plan, plan
    assert Quote.objects.exists()


def test_search_matches_are_passed_as_one_parameter(db, make_commitment):
    wanted = [make_commitment().pk for _ in range(3)]
    make_commitment()
    matching = Commitment.objects.filter(pk__in_ids=wanted)
    _sql, params = matching.query.sql_with_params()
    assert len(params) == 1  # the whole list, where `pk__in` would pass one parameter per id
    assert sorted(matching.values_list("pk", flat=True)) == sorted(wanted)
    assert list(Commitment.objects.filter(pk__in_ids=[])) == []
