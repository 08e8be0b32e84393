"""Finding quotes in the stored text and highlighting them: offsets in the original text, escaped HTML."""

import re

import pytest

from tracker.models import normalise_text
from tracker.text import NormalisedText, Span, highlight, highlight_paragraphs, locate, paragraphs

ARTICLE = "Takaichi said Japan would “spend 2%\n\nof GDP on defence” by March 2026.\nTrump said: ‘That’s a hot truck.’"


def _marks(html: str) -> list[str]:
    return re.findall(r"<mark[^>]*>(.*?)</mark>", html, flags=re.S)


def _text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        "  leading and trailing  \n",
        "tabs\tand\u00a0no-break\u2003spaces “curly” ‘single’ „low“ ″double prime″",
        "\n\n\n",
        "",
    ],
)
def test_it_normalises_exactly_as_quote_verification_does(text):
    assert NormalisedText(text).text == normalise_text(text)


def test_it_returns_offsets_in_the_original_text_across_curly_quotes_and_line_breaks():
    start, end = locate('would "spend 2% of GDP on defence"', ARTICLE)
    assert ARTICLE[start:end] == "would “spend 2%\n\nof GDP on defence”"


def test_it_finds_a_quote_typed_with_curly_quotes_in_a_text_with_straight_ones():
    text = 'He said "that\'s a hot truck" twice.'
    start, end = locate("“that’s a hot truck”", text)
    assert text[start:end] == '"that\'s a hot truck"'


def test_it_finds_nothing_for_words_not_in_the_text_or_an_empty_quote():
    assert locate("a cold truck", ARTICLE) is None
    assert locate("   ", ARTICLE) is None


def test_it_splits_plain_text_into_paragraphs_at_line_breaks_and_blank_lines():
    text = "Headline\n\n  First paragraph.  \nSecond paragraph.\n \n\nThird."
    assert [text[start:end] for start, end in paragraphs(text)] == [
        "Headline",
        "First paragraph.",
        "Second paragraph.",
        "Third.",
    ]


def test_it_escapes_html_looking_text_in_the_article():
    text = 'Before <script>alert("x")</script> & <b>bold</b> after.'
    html = highlight(text, [Span(*locate("<b>bold</b>", text), 1, href="/commitments/x/")])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in html
    assert (
        '<mark id="quote-1" class="quote-mark" data-quote="1"><a href="/commitments/x/">&lt;b&gt;bold&lt;/b&gt;</a></mark>'
        in html
    )


def test_it_escapes_the_link_and_its_title():
    html = highlight("abc", [Span(0, 3, 1, href='/c/"x"/', title="<i>")])
    assert 'href="/c/&quot;x&quot;/"' in html and 'title="&lt;i&gt;"' in html


def test_it_leaves_the_text_as_it_is_outside_the_quotes():
    html = highlight(ARTICLE, [Span(*locate("a hot truck", ARTICLE), 3)])
    assert _text_of(html) == ARTICLE
    assert _marks(html) == ["a hot truck"]


def test_it_highlights_a_quote_over_a_line_break_in_each_paragraph_with_one_id():
    span = Span(*locate("2% of GDP on defence", ARTICLE), 7, href="/commitments/defence/")
    rendered = [paragraph.html for paragraph in highlight_paragraphs(ARTICLE, [span])]
    assert len(rendered) == 3
    assert _marks(rendered[0]) == ['<a href="/commitments/defence/">2%</a>']
    assert _marks(rendered[1]) == ['<a href="/commitments/defence/">of GDP on defence</a>']
    assert "".join(rendered).count('id="quote-7"') == 1
    assert 'id="quote-7"' in rendered[0]


def test_it_never_nests_overlapping_quotes():
    text = "one two three four five"
    spans = [Span(0, 13, 1, href="/a/"), Span(4, 18, 2, href="/b/")]  # "one two three", "two three four"
    html = highlight(text, spans)
    assert _well_formed(html)
    assert _text_of(html) == text
    assert 'id="quote-1"' in html and 'id="quote-2"' in html
    # The shared words are shown once, marked as shared.
    assert re.search(
        r'<mark id="quote-2" class="quote-mark overlap" data-quote="2"><a href="/b/">two three</a></mark>', html
    )


def test_it_keeps_a_quote_nested_in_another_visible_and_the_outer_one_around_it():
    text = "He said “will soon begin importing” of LNG."
    outer, inner = (
        Span(0, len(text), 6, href="/outer/"),
        Span(*locate("will soon begin importing", text), 7, href="/inner/"),
    )
    html = highlight(text, [outer, inner])
    assert _well_formed(html)
    assert _text_of(html) == text
    assert [_text_of(piece) for piece in _marks(html)] == ["He said “", "will soon begin importing", "” of LNG."]
    assert html.count('id="quote-6"') == 1 and html.count('id="quote-7"') == 1


def test_it_still_gives_an_anchor_to_a_quote_hidden_under_an_identical_one():
    html = highlight("same words", [Span(0, 10, 1), Span(0, 10, 2)])
    assert _well_formed(html)
    assert 'id="quote-1"' in html and 'id="quote-2"' in html
    assert _text_of(html) == "same words"


def test_it_puts_what_follows_a_quote_after_its_last_piece_only():
    from django.utils.html import format_html

    text = "aaa bbb ccc"
    spans = [Span(0, 11, 1, after=format_html("<sup>{}</sup>", "+1")), Span(4, 7, 2)]
    html = highlight(text, spans)
    assert html.count("<sup>+1</sup>") == 1
    assert html.endswith("</mark><sup>+1</sup>")


def test_it_ignores_spans_outside_the_text_and_can_leave_out_the_ids():
    html = highlight("short", [Span(2, 99, 1), Span(0, 5, 2)], anchors=False)
    assert "id=" not in html
    assert _marks(html) == ["short"]


def test_it_shows_only_the_paragraphs_around_a_quote():
    located = locate("spend 2% of GDP", ARTICLE)
    shown = highlight_paragraphs(ARTICLE, [Span(*located, 1)], only=located)
    assert [_text_of(paragraph.html) for paragraph in shown] == [
        "Takaichi said Japan would “spend 2%",
        "of GDP on defence” by March 2026.",
    ]


def _well_formed(html: str) -> bool:
    """Every tag closes in the order it opened."""
    stack = []
    for closing, name in re.findall(r"<(/?)(\w+)[^>]*>", html):
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def test_nearest_passage_points_at_what_the_editor_meant():
    from tracker.text import nearest_passage

    text = "Tokyo will now aim to spend at least 2% of GDP on defense a year earlier than planned."
    assert (
        nearest_passage("aim to spend at least 3% of GDP on defence", text)
        == "aim to spend at least 2% of GDP on defense"
    )
    assert nearest_passage("completely unrelated words about fishing boats", text) is None


def test_normalising_a_text_is_the_same_as_translating_it():
    import random

    from tracker.models import _TYPOGRAPHIC, _WHITESPACE, normalise_text

    alphabet = "ab ‘’‚‛′“”„‟″'\"\n\t  é—"
    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert normalise_text(text) == _WHITESPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()
