"""Quotes in the stored text of their sources: where they are, the paragraphs around them, and the text highlighted.

A quote is found with the same normalisation as `Quote.is_verified` (curly/straight quotes and whitespace only), but
the offsets returned are those of the ORIGINAL text, so the words shown are the source's own. Everything here is
escaped: the only HTML that comes out is the markup built below around escaped text.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tracker.models import _TYPOGRAPHIC, _WHITESPACE, normalise_text


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


def nearest_passage(quote: str, text: str, *, minimum: float = 0.5) -> str | None:
    """The passage of `text` most like `quote` (as many words, compared after normalisation), in the source's own
    characters, for an editor whose quote was not found; None when nothing is even half alike."""
    wanted = normalise_text(quote)
    if not wanted:
        return None
    normalised = NormalisedText(text)
    # (start, end) of each word in the normalised text
    bounds, position = [], 0
    for word in normalised.text.split(" "):
        bounds.append((position, position + len(word)))
        position += len(word) + 1
    size = len(wanted.split(" "))
    best, best_ratio = None, minimum
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    for first in range(max(1, len(bounds) - size + 1)):
        last = min(first + size, len(bounds)) - 1
        start, end = bounds[first][0], bounds[last][1]
        matcher.set_seq1(normalised.text[start:end])
        if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = (start, end), ratio
    if best is None or best[1] <= best[0]:
        return None
    return text[normalised._starts[best[0]] : normalised._ends[best[1] - 1]]


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
