"""Japanese sources and the editors' Japanese (issue 15): a Japanese test article and quote verify, are highlighted,
show in context and are found by search, on SQLite and PostgreSQL; our own words show in the page's language, English
marked where the translation is missing; quotes stay verbatim with the editors' translation labelled under them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker import history, services
from tracker.forms import QuoteForm
from tracker.models import Commitment, Quote, Source, StatusUpdate
from tracker.search import cjk_grams, search_commitments
from tracker.text import nearest_passage

# Our own short test article (not a seed): a wrapped line in the middle of a sentence, as pasted articles have.
ARTICLE = (
    "日米首脳会談\n\n"
    "高市首相は会談で、防衛費を国内総生産（GDP）比2%に\n引き上げる目標の前倒しを説明した。\n\n"
    "両首脳は「同盟の新たな黄金時代」を築くことで一致した。"
)
QUOTE = "防衛費を国内総生産（GDP）比2%に引き上げる"


def in_japanese(client, path: str, **kwargs):
    """The page in Japanese: at its /ja/ address (English stays at the root)."""
    return client.get(f"/ja{path}", **kwargs)


@pytest.fixture
def japanese_quote(defence_pledge):
    source = Source.objects.create(
        title="日米首脳会談", description="A Japanese test article", kind="news_report", language="ja", text=ARTICLE
    )
    quote = Quote.objects.create(text=QUOTE, source=source, translation="raise defence spending to 2% of GDP")
    quote.commitments.add(defence_pledge)
    return quote


# -- verbatim, with spacing the only latitude -------------------------------------------------------------------


def test_a_japanese_quote_verifies_across_a_wrapped_line(japanese_quote):
    assert japanese_quote.is_verified  # the source breaks the line between に and 引き上げる


@pytest.mark.parametrize(
    "text",
    [
        "防衛費を国内総生産（GDP）比２％に",  # full-width ２％ is not the source's half-width 2%
        "防衛費を国内総生産(GDP)比2%に",  # nor half-width brackets its full-width ones
        '"同盟の新たな黄金時代"',  # Japanese quotation marks are not "": the source's 「」 stay
        "防衛費を国内総生産（ GDP）比2%に",  # a space the source does not have, beside a Latin letter, counts
        "防衛費を国内総生産（GDP）比2% に",  # … and beside a half-width sign
    ],
)
def test_only_spacing_is_forgiven(japanese_quote, text):
    assert not Quote(text=text, source=japanese_quote.source).is_verified


def test_spaces_between_japanese_characters_are_layout(japanese_quote):
    # A quote copied with a space (or an ideographic space) where the source wraps or has none.
    for text in ("防衛費を 国内総生産", "防衛費を\u3000国内総生産", "引き上げる目標の 前倒し"):
        assert Quote(text=text, source=japanese_quote.source).is_verified, text


def test_the_admin_refuses_a_mistyped_japanese_quote_with_the_nearest_passage(japanese_quote, defence_pledge):
    form = QuoteForm(
        data={
            "text": "防衛費をGDP比2%に引き上げる",
            "source": japanese_quote.source_id,
            "commitments": [defence_pledge.pk],
        }
    )
    assert not form.is_valid()
    assert "Nearest passage in the source: “防衛費を国内総生産（GDP）比2%に\n引き上げる”" in form.errors["text"]


def test_the_nearest_passage_of_text_without_spaces_is_the_passage_not_the_paragraph():
    passage = nearest_passage("黄金時代を築くことで合意した", ARTICLE)
    assert passage is not None
    assert "黄金時代」を築くことで一致" in passage
    assert "両首脳" not in passage and "防衛費" not in passage


# -- shown where it is ---------------------------------------------------------------------------------------------


def test_the_source_page_marks_the_japanese_and_highlights_the_quote(client, japanese_quote):
    html = client.get(f"/sources/{japanese_quote.source_id}/").content.decode()
    stored = html.split('<div class="stored-text" lang="ja">')[1].split("</div>")[0]
    # Highlighted on both sides of the wrapped line, linked to its commitment.
    assert re.search(
        r'<mark id="quote-\d+" class="quote-mark" data-quote="\d+"><a [^>]*>防衛費を国内総生産（GDP）比2%に', stored
    )
    assert re.search(r"<mark[^>]*><a [^>]*>引き上げる</a></mark>目標の前倒し", stored)
    assert f'“<span lang="ja">{QUOTE}</span>”' in html
    # Its English translation, labelled, on the English page; never in place of the quote.
    assert "Editors’ translation:</span> raise defence spending to 2% of GDP" in html
    assert "<dt>Language</dt><dd>Japanese</dd>" in html
    assert '<h1><span lang="ja">日米首脳会談</span></h1>' in html  # its headline, as printed
    # … wherever the source is named.
    commitment = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert f'<a href="/sources/{japanese_quote.source_id}/"><span lang="ja">日米首脳会談</span></a>' in commitment
    assert "<h1>日米首脳会談</h1>" in in_japanese(client, f"/sources/{japanese_quote.source_id}/").content.decode()


def test_show_in_context_works_on_text_without_spaces(client, japanese_quote):
    html = client.get(f"/quotes/{japanese_quote.pk}/context/", headers={"HX-Request": "true"}).content.decode()
    assert '<blockquote class="context-text" lang="ja">' in html
    assert re.search(r"高市首相は会談で、<mark[^>]*>防衛費を国内総生産（GDP）比2%に</mark></p>", html)
    assert "<p>日米首脳会談</p>" not in html and "黄金時代" not in html  # only the paragraphs holding the quote


def test_the_commitment_page_shows_the_quote_in_its_language_with_the_translation_under_it(client, japanese_quote):
    html = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert f'<blockquote lang="ja"><p>{QUOTE}</p></blockquote><p class="quote-translation">' in html
    assert '<blockquote lang="en"><p>spend 2% of GDP on defence</p></blockquote>' in html
    japanese = in_japanese(client, "/commitments/defence-2pct-gdp/").content.decode()
    # On a Japanese page a Japanese quote needs no translation: the quote alone, verbatim.
    assert f'<blockquote lang="ja"><p>{QUOTE}</p></blockquote>\n' in japanese
    assert "raise defence spending" not in japanese
    # An English quote's Japanese translation shows there, labelled.
    english_quote = Quote.objects.get(text="spend 2% of GDP on defence")
    english_quote.translation = "防衛にGDPの2%を費やす"
    english_quote.save()
    japanese = in_japanese(client, "/commitments/defence-2pct-gdp/").content.decode()
    assert (
        '<blockquote lang="en"><p>spend 2% of GDP on defence</p></blockquote><p class="quote-translation">'
        '<span class="translation-label">編集部訳:</span> 防衛にGDPの2%を費やす</p>'
    ) in japanese


# -- search ------------------------------------------------------------------------------------------------------


def _slugs(text):
    return sorted(search_commitments(Commitment.objects.all(), text).values_list("slug", flat=True))


def test_search_finds_a_japanese_quote_by_a_word_inside_it(japanese_quote, make_commitment):
    make_commitment(slug="other", title_ja="日米同盟", summary_ja="防衛と費用は別の話。")  # 防衛 and 衛費 apart
    assert _slugs("防衛費") == ["defence-2pct-gdp"]
    assert _slugs("国内総生産") == ["defence-2pct-gdp"]
    assert _slugs("国内総生産 防衛費") == ["defence-2pct-gdp"]  # every word, in any order
    assert _slugs("比") == ["defence-2pct-gdp"]  # one character alone in its run
    assert _slugs("総") == ["defence-2pct-gdp"]  # … and inside one
    assert _slugs("防衛") == ["defence-2pct-gdp", "other"]
    assert _slugs("費用") == ["other"]
    assert _slugs("防衛費用") == []
    assert _slugs("２％") == []  # as typed: full width is not the quote's 2%
    assert _slugs("defence") == ["defence-2pct-gdp"]  # English as before


def test_search_finds_the_editors_japanese_of_titles_summaries_and_quote_translations(defence_pledge, make_commitment):
    make_commitment(slug="translated", title_ja="米国産大豆を購入", summary_ja="日本の購入パッケージ。")
    quote = Quote.objects.get(text="spend 2% of GDP on defence")
    quote.translation = "防衛費をGDP比2%に"
    quote.save()
    assert _slugs("大豆") == ["translated"]
    assert _slugs("パッケージ") == ["translated"]
    assert _slugs("防衛費") == ["defence-2pct-gdp"]  # through the English quote's translation
    assert _slugs("米") == ["translated"]


def test_search_finds_the_seed_in_japanese(seeded):
    assert "defence-2pct-gdp" in _slugs("防衛費")
    assert _slugs("高市") != []
    assert "purchase-soybeans" in _slugs("大豆")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bigram function and its GIN indexes: PostgreSQL only"
)
def test_postgresql_pairs_the_characters_as_the_python_side_does(db):
    text = "防衛費を国内総生産（GDP）比2%に、日米は「黄金時代」へ。ﾃｽﾄ ＡＢＣ１２"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tracker_cjk_grams(%s, %s)::text", [text, "米"])
        stored = set(re.findall(r"'([^']*)'", cursor.fetchone()[0]))
    assert stored == set(cjk_grams(text + "\n" + "米"))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bigram function and its GIN indexes: PostgreSQL only"
)
def test_japanese_search_is_served_by_the_bigram_indexes_on_postgresql(japanese_quote):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_commitment, tracker_quote, tracker_quote_commitments")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        plan = search_commitments(Commitment.objects.all(), "防衛費").explain()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert "commitment_search_ja_gin" in plan, plan
    assert "quote_search_ja_gin" in plan, plan


# -- our own words in the page's language ------------------------------------------------------------------------


def test_a_japanese_page_shows_the_editors_japanese_and_says_so(client, defence_pledge):
    Commitment.objects.filter(pk=defence_pledge.pk).update(title_ja="防衛費をGDP比2%に", summary_ja="日本の目標。")
    html = in_japanese(client, "/commitments/defence-2pct-gdp/").content.decode()
    assert "<h1>防衛費をGDP比2%に</h1>" in html
    assert '<p class="summary">日本の目標。' in html
    assert "編集部による翻訳" in html
    assert "<title>防衛費をGDP比2%に" in html
    english = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert "<h1>Defence spending of 2% of GDP</h1>" in english
    assert "防衛費" not in english and "編集部" not in english


def test_a_missing_translation_shows_the_english_marked(client, defence_pledge):
    Commitment.objects.filter(pk=defence_pledge.pk).update(note="Sources disagree on the year.")
    html = in_japanese(client, "/commitments/defence-2pct-gdp/").content.decode()
    assert (
        '<p lang="en">Sources disagree on the year. <small class="english-only" lang="ja">英語のみ</small></p>' in html
    )
    assert (
        '<h1><span lang="en">Defence spending of 2% of GDP</span> <small class="english-only" lang="ja">英語のみ</small></h1>'
        in html
    )
    assert (
        '<p class="summary"><span lang="en">A test commitment.</span> <small class="english-only" lang="ja">英語のみ</small>'
        in html
    )
    # The actors, untranslated in this test, too.
    assert '<span lang="en">Government of Japan</span> <small class="english-only" lang="ja">英語のみ</small>' in html


def test_pages_cost_the_same_queries_in_both_languages(client, japanese_quote):
    for path in ("/commitments/defence-2pct-gdp/", f"/sources/{japanese_quote.source_id}/", "/", "/commitments/"):
        with CaptureQueriesContext(connection) as english:
            assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as japanese:
            assert in_japanese(client, path).status_code == 200
        assert len(japanese) == len(english), path


def test_a_page_cached_in_one_language_is_not_served_in_the_other(client, defence_pledge):
    Commitment.objects.filter(pk=defence_pledge.pk).update(title_ja="防衛費をGDP比2%に")
    assert "防衛費" in in_japanese(client, "/commitments/").content.decode()
    assert "防衛費" not in client.get("/commitments/").content.decode()


# -- the Japanese title is versioned with the English one ---------------------------------------------------------


def test_a_renaming_carries_both_languages_and_as_of_shows_them_as_they_stood(client, defence_pledge, source):
    defence_pledge.title_ja = "防衛費をGDP比2%に"
    services.save_commitment(defence_pledge)  # no renaming yet: the editors' wording of its whole history
    assert set(defence_pledge.states.values_list("title_ja", flat=True)) == {"防衛費をGDP比2%に"}
    renaming = services.record_update(
        StatusUpdate(
            commitment=defence_pledge,
            happened_on=datetime.date(2025, 10, 24),
            source=source,
            note="Renamed.",
            new_title="Defence spending of 2% of GDP by March 2026",
            new_title_ja="2026年3月までに防衛費をGDP比2%に",
        )
    )
    assert (renaming.old_title, renaming.old_title_ja) == ("Defence spending of 2% of GDP", "防衛費をGDP比2%に")
    defence_pledge.refresh_from_db()
    assert defence_pledge.title_ja == "2026年3月までに防衛費をGDP比2%に"
    assert history.problems() == []
    before = in_japanese(client, "/commitments/defence-2pct-gdp/?as_of=2025-10-20").content.decode()
    after = in_japanese(client, "/commitments/defence-2pct-gdp/?as_of=2025-10-25").content.decode()
    assert "<h1>防衛費をGDP比2%に</h1>" in before
    assert "<h1>2026年3月までに防衛費をGDP比2%に</h1>" in after
    # The renaming, in Japanese on the Japanese page.
    assert "<del>防衛費をGDP比2%に</del> → <ins>2026年3月までに防衛費をGDP比2%に</ins>" in after
    # Once renamed, an edit of the commitment leaves both titles to the events.
    defence_pledge.title_ja = "別の題"
    services.save_commitment(defence_pledge)
    defence_pledge.refresh_from_db()
    assert defence_pledge.title_ja == "2026年3月までに防衛費をGDP比2%に"


def test_the_seed_reads_in_japanese_on_the_index_and_the_timeline(client, seeded):
    index = in_japanese(client, "/commitments/").content.decode()
    assert ">防衛費をGDP比2%に</a>" in index
    assert "高市早苗" in index and "英語のみ" not in index  # every title and name of the seed translated
    assert re.search(r"<option[^>]*>ドナルド・トランプ \(\d+\)</option>", index)  # the menus too
    timeline = in_japanese(client, "/timeline/?commitment=defence-2pct-gdp").content.decode()
    assert re.search(r'<option value="defence-2pct-gdp" selected>防衛費をGDP比2%に</option>', timeline)
    english = client.get("/commitments/").content.decode()
    assert "高市" not in english and "Defence spending of 2% of GDP</a>" in english


def test_the_downloads_carry_the_japanese_title_and_each_quotes_language(client, seeded):
    rows = client.get("/commitments.json").json()["results"]
    defence = next(row for row in rows if row["slug"] == "defence-2pct-gdp")
    assert defence["title_ja"] == "防衛費をGDP比2%に"
    reading = next(row for row in rows if row["readings"])["readings"][0]
    assert reading["quote_language"] == "en" and reading["quote_translation"] == ""
    assert "title_ja" in client.get("/commitments.csv").content.decode().splitlines()[0]
    assert all(source["language"] == "en" for source in client.get("/sources.json").json()["results"])


def test_the_admin_shows_each_field_beside_its_japanese_labelled_as_the_editors_translation(editor_client, seeded):
    commitment = Commitment.objects.get(slug="defence-2pct-gdp")
    html = editor_client.get(f"/admin/tracker/commitment/{commitment.pk}/change/").content.decode()
    for field in ("title", "summary", "note"):
        assert re.search(f'class="form-row [^"]*field-{field} field-{field}_ja"', html), field  # one row, side by side
    assert "in Japanese (editors’ translation)" in html
    assert 'value="防衛費をGDP比2%に"' in html
    actor = editor_client.get("/admin/tracker/actor/3/change/").content.decode()
    assert re.search('class="form-row [^"]*field-name field-name_ja"', actor) and 'value="高市早苗"' in actor
    source = editor_client.get(f"/admin/tracker/source/{Source.objects.first().pk}/change/").content.decode()
    assert '<option value="ja">Japanese</option>' in source


def test_our_english_without_a_japanese_column_is_marked_on_japanese_pages(client, seeded):
    note = StatusUpdate.objects.filter(commitment__slug="defence-2pct-gdp").exclude(note="").first().note
    timeline = in_japanese(client, "/timeline/?commitment=defence-2pct-gdp").content.decode()
    assert f'<p lang="en">{note}</p>' in timeline.replace("&#x27;", "'")
    english = client.get("/timeline/?commitment=defence-2pct-gdp").content.decode()
    assert f"<p>{note}</p>" in english.replace("&#x27;", "'")
