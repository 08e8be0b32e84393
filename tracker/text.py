"""Quotes in the stored text of their sources: where they are, the paragraphs around them, and the text highlighted.

A quote is found with the same normalisation as `Quote.is_verified` (curly/straight quotes and whitespace only), but
the offsets returned are those of the ORIGINAL text, so the words shown are the source's own. Everything here is
escaped: the only HTML that comes out is the markup built below around escaped text.
"""

import re
import time
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tracker.models import _TYPOGRAPHIC, _WHITESPACE, JAPANESE_WIDE, normalise_text


@dataclass(frozen=True)
class Span:
    """A stretch of a text to highlight: a quote's offsets in the original text and where its words link to."""

    start: int
    end: int
    quote_id: int
    href: str = ""
    title: str = ""
    # Escaped HTML put right after the quote's last highlighted words (e.g. links to its other commitments).
    after: SafeString = SafeString("")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    html: SafeString


class NormalisedText:
    """A text normalised as `normalise_text` does it, with each normalised character's offsets in the original."""

    def __init__(self, text: str):
        self.original = text
        pieces, origin = [], []  # one entry per translated character: its offset in `text`
        for index, char in enumerate(text):
            for out in char.translate(_TYPOGRAPHIC):
                pieces.append(out)
                origin.append(index)
        translated = "".join(pieces)

        chars, starts, ends = [], [], []
        position = 0

        def keep(upto: int):
            for i in range(position, upto):
                chars.append(translated[i])
                starts.append(origin[i])
                ends.append(origin[i] + 1)

        for run in _WHITESPACE.finditer(translated):
            keep(run.start())
            # A run of whitespace becomes one space, standing for the whole run in the original.
            chars.append(" ")
            starts.append(origin[run.start()])
            ends.append(origin[run.end() - 1] + 1)
            position = run.end()
        keep(len(translated))
        if not translated.isascii():
            # As normalise_text: no space between two Japanese characters (it stood for a line break, say).
            wide = re.compile(f"[{JAPANESE_WIDE}]")
            gaps = {
                i
                for i in range(1, len(chars) - 1)
                if chars[i] == " " and wide.match(chars[i - 1]) and wide.match(chars[i + 1])
            }
            if gaps:
                chars = [char for i, char in enumerate(chars) if i not in gaps]
                starts = [start for i, start in enumerate(starts) if i not in gaps]
                ends = [end for i, end in enumerate(ends) if i not in gaps]

        # normalise_text strips: after the collapse, only a single leading or trailing space can be left.
        first, last = 0, len(chars)
        while first < last and chars[first].isspace():
            first += 1
        while last > first and chars[last - 1].isspace():
            last -= 1
        self.text = "".join(chars[first:last])
        self._starts = starts[first:last]
        self._ends = ends[first:last]

    def locate(self, quote: str) -> tuple[int, int] | None:
        """The (start, end) offsets in the original text of the first place the quote is found, or None."""
        needle = normalise_text(quote)
        if not needle:
            return None
        found = self.text.find(needle)
        if found < 0:
            return None
        return self._starts[found], self._ends[found + len(needle) - 1]


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where `quote` is in `text`, as offsets in `text` itself; None when it is not there.

    To find many quotes in one text, build one `NormalisedText(text)` and call its `locate`.
    """
    return NormalisedText(text).locate(quote)


# The nearest-passage hint is bounded whatever the source's size: at most this many characters of the quote are
# compared, at most this many places in the source are looked at closely, and never for longer than this.
HINT_QUOTE_CHARS = 400
HINT_CANDIDATES = 12
HINT_BUDGET_SECONDS = 0.1
# A word: a run of letters and digits, except in Japanese, written without spaces, where each character is one.
_WIDE_LETTER = f"(?:(?![^{JAPANESE_WIDE}])[^\\W_])"
_NARROW_LETTER = f"(?:(?![{JAPANESE_WIDE}])[^\\W_])"
_TOKEN = re.compile(f"{_WIDE_LETTER}|{_NARROW_LETTER}+")
_WIDE = re.compile(f"[{JAPANESE_WIDE}]")
_HIRAGANA = re.compile("[\u3041-\u309f]")
_BIN = 32  # characters: where a quote's words are found in the source is tallied in bins this wide


def nearest_passage(quote: str, text: str, *, minimum: float = 0.5) -> str | None:
    """The passage of `text` most like `quote`, in the source's own characters, for an editor whose quote was not
    found; None when nothing is even half alike (compared word by word, case and punctuation aside).

    Linear in the source, not quadratic: one regular-expression pass finds where the quote's words occur, each
    occurrence votes for where the quote would start, and only the few most voted places are compared closely
    (well under 200 ms on a 1 MB source).
    """
    started = time.perf_counter()
    wanted = normalise_text(quote)[:HINT_QUOTE_CHARS]
    quote_words = [(m.group().lower(), m.start()) for m in _TOKEN.finditer(wanted)]
    if not quote_words:
        return None
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two: keep offsets those of `text`
        lowered = text
    # Where each word of the quote is, in characters from its start; short words vote only if there are few others.
    distinct = {word for word, _ in quote_words}
    if len({word for word in distinct if _significant(word)}) >= 3:
        distinct = {word for word in distinct if _significant(word)}
    offsets: dict[str, list[int]] = {}
    for word, offset in quote_words:
        if word in distinct and len(offsets.setdefault(word, [])) < 2:  # a word said ten times votes twice
            offsets[word].append(offset)
    narrow = "|".join(re.escape(word) for word in sorted(distinct, key=len, reverse=True) if not _WIDE.match(word))
    wide = "".join(re.escape(word) for word in sorted(distinct) if _WIDE.match(word))
    # A word of Latin letters is matched whole; a Japanese character wherever it is.
    choices = [
        *([f"(?<!{_NARROW_LETTER})(?:{narrow})(?!{_NARROW_LETTER})"] if narrow else []),
        *([f"[{wide}]"] if wide else []),
    ]
    pattern = re.compile("|".join(choices), re.IGNORECASE if lowered is text else 0)
    votes: dict[int, int] = {}
    for count, found in enumerate(pattern.finditer(lowered)):
        if count % 4096 == 4095 and time.perf_counter() - started > HINT_BUDGET_SECONDS:
            break  # a quote of very common words in a huge source: the places voted for so far
        for offset in offsets.get(found.group().lower(), ()):
            slot = (found.start() - offset) // _BIN
            votes[slot] = votes.get(slot, 0) + 1
    candidates = sorted(votes, key=lambda slot: (-votes[slot], slot))[:HINT_CANDIDATES]

    wanted_words = [word for word, _ in quote_words]
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted_words)
    best, best_ratio = None, minimum
    for rank, slot in enumerate(candidates):
        if rank >= 3 and time.perf_counter() - started > HINT_BUDGET_SECONDS:
            break  # the three most voted places are always compared (a millisecond each), the rest while time allows
        region_start = max(0, (slot - 2) * _BIN)
        region_end = min(len(text), (slot + 3) * _BIN + len(wanted))
        region = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(lowered, region_start, region_end)]
        matcher.set_seq1([word for word, _, _ in region])
        blocks = [block for block in matcher.get_matching_blocks() if block.size]
        if not blocks:
            continue
        # From where the quote's first word would be to where its last would be (words the editor got wrong, at
        # either end, included).
        first = max(0, blocks[0].a - blocks[0].b)
        last = min(len(region), blocks[-1].a + blocks[-1].size + len(wanted_words) - blocks[-1].b - blocks[-1].size) - 1
        words = [word for word, _, _ in region[first : last + 1]]
        ratio = SequenceMatcher(None, words, wanted_words, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = (region[first][1], region[last][2]), ratio
    if best is None:
        return None
    start, end = best
    # Whole words as the source writes them: with the punctuation and quotation marks that stick to them (Japanese,
    # without spaces, has nothing that sticks: its passage ends where the matching characters do).
    while start > 0 and _sticks(text[start - 1], text[start]) and best[0] - start < 20:
        start -= 1
    while end < len(text) and _sticks(text[end], text[end - 1]) and end - best[1] < 20:
        end += 1
    return text[start:end]


def _significant(word: str) -> bool:
    """A word worth voting with: a Latin one longer than three letters; a Japanese character not a kana particle."""
    return not _HIRAGANA.match(word) if _WIDE.match(word) else len(word) > 3


def _sticks(char: str, neighbour: str) -> bool:
    return not char.isspace() and not _WIDE.match(char) and not _WIDE.match(neighbour)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each paragraph: the articles are plain text, one paragraph a line.

    Blank lines (and lines of whitespace only) separate paragraphs without being any; surrounding whitespace is
    left out of the offsets.
    """
    spans = []
    start = 0
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        content = line.strip()
        if content:
            first = start + (len(line) - len(line.lstrip()))
            spans.append((first, first + len(content)))
        start = end
    return spans


def _owner(covering: list[Span]) -> Span:
    """Of the quotes covering the same words, the innermost one shows them: it starts last (then ends first)."""
    return max(covering, key=lambda span: (span.start, -span.end, -span.quote_id))


def _render(text: str, spans: list[Span], bounds: list[tuple[int, int]], *, anchors: bool) -> list[SafeString]:
    """`text` cut into `bounds`, each rendered with the spans highlighted.

    Overlapping quotes never nest: the words they share are shown once, by the innermost quote (see `_owner`), in a
    <mark> of class "overlap", and every <mark> closes before the next opens. A quote's first highlighted piece
    carries its id (`quote-<id>`) for links to point at; a quote whose words are all shown by others gets an empty
    anchor where it starts.
    """
    spans = [span for span in spans if 0 <= span.start < span.end <= len(text)]
    cut_set = {0, len(text), *(b for pair in bounds for b in pair)}
    cut_set.update(offset for span in spans for offset in (span.start, span.end))
    cuts = sorted(cut_set)
    inside = [(left, right) for left, right in pairwise(cuts) if any(s <= left and right <= e for s, e in bounds)]
    # Each stretch between two cuts that is shown, with the quote that shows it (or None).
    stretches = []
    for left, right in inside:
        covering = [span for span in spans if span.start <= left and right <= span.end]
        stretches.append((left, right, _owner(covering) if covering else None, len(covering) > 1))
    last_piece = {owner.quote_id: left for left, _, owner, _ in stretches if owner is not None}
    hidden: dict[int, list[int]] = {}
    for span in spans:
        if span.quote_id not in last_piece:
            hidden.setdefault(span.start, []).append(span.quote_id)

    anchored = set()
    rendered = []
    for bound_start, bound_end in bounds:
        parts = []
        current, current_overlaps = None, False  # the span whose <mark> is open, and whether others share its words
        for left, right, owner, overlaps in stretches:
            if left < bound_start or right > bound_end:
                continue
            if current is not None and (owner is not current or overlaps != current_overlaps):
                parts.append(_close(current, finished=last_piece[current.quote_id] < left))
                current = None
            if anchors:
                for quote_id in hidden.get(left, ()):
                    if quote_id not in anchored:
                        anchored.add(quote_id)
                        parts.append(format_html('<span id="quote-{}" class="quote-anchor"></span>', quote_id))
            if owner is not None and current is None:
                ident = ""
                if anchors and owner.quote_id not in anchored:
                    anchored.add(owner.quote_id)
                    ident = format_html(' id="quote-{}"', owner.quote_id)
                css = "quote-mark overlap" if overlaps else "quote-mark"
                parts.append(format_html('<mark{} class="{}" data-quote="{}">', ident, css, owner.quote_id))
                if owner.href:
                    title = format_html(' title="{}"', owner.title) if owner.title else ""
                    parts.append(format_html('<a href="{}"{}>', owner.href, title))
                current, current_overlaps = owner, overlaps
            parts.append(escape(text[left:right]))
        if current is not None:
            parts.append(_close(current, finished=last_piece[current.quote_id] < bound_end))
        # Every part is escaped text or markup built with format_html.
        rendered.append(mark_safe("".join(parts)))
    return rendered


def _close(span: Span, *, finished: bool) -> SafeString:
    """The end of a span's <mark>; after its last piece, what the span puts after its words."""
    closing = mark_safe("</a></mark>" if span.href else "</mark>")
    return format_html("{}{}", closing, span.after) if finished else closing


def highlight(text: str, spans: list[Span], *, anchors: bool = True) -> SafeString:
    """The whole text, escaped, with each span in a <mark> (linked when the span has an href)."""
    return _render(text, spans, [(0, len(text))], anchors=anchors)[0]


def highlight_paragraphs(
    text: str, spans: list[Span], *, only: tuple[int, int] | None = None, anchors: bool = True
) -> list[Paragraph]:
    """The text's paragraphs, escaped and highlighted; with `only`, just the paragraphs that overlap those offsets.

    A quote that runs over a line break is highlighted in each paragraph it covers (its id on the first piece).
    """
    bounds = paragraphs(text)
    if only is not None:
        bounds = [(start, end) for start, end in bounds if start < only[1] and only[0] < end]
    html = _render(text, spans, bounds, anchors=anchors)
    return [Paragraph(start, end, piece) for (start, end), piece in zip(bounds, html, strict=True)]
