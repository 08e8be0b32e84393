"""Embeds and social cards: a commitment as a small card another site can frame, and as a 1200×630 PNG for the
previews of social networks and chat applications (`og:image`, `twitter:image`).

The PNG is drawn on the server with Pillow and kept by the whole-page cache like any public page (one render per
data version, URL and language). Japanese needs a CJK font: Debian's fonts-noto-cjk (Noto Sans CJK, SIL Open Font
Licence), installed by `make fonts` like Chromium for the browser tests; its fonts carry Latin letters too, so one
font draws both languages. Without it, English is drawn with DejaVu Sans (always installed) and Japanese is refused
with a clear 503 rather than drawn as empty boxes.
"""

import io
import os
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from tracker import charts
from tracker.models import Commitment, StatusUpdate
from tracker.translated import translated

CARD_SIZE = (1200, 630)
LANGUAGES = ("en", "ja")  # the card's languages; English when none (or another) is asked for
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc",  # Debian's fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{weight}.ttc",  # other distributions' path
)
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans{weight}.ttf",)
# Pillow's names for the two weights in each family.
_WEIGHTS = {"CJK": {"regular": "Regular", "bold": "Bold"}, "LATIN": {"regular": "", "bold": "-Bold"}}
_STATUS_COLOURS = {
    "kept": "#1a7f37",
    "in_the_works": "#0b5cad",
    "stalled": "#9a6700",
    "compromise": "#8250df",
    "broken": "#cf222e",
    "not_rated": "#57606a",
}


class FontMissing(Exception):
    """No installed font can draw the language asked for."""


def latest_measurement(commitment: Commitment) -> StatusUpdate | None:
    """The latest measurement: the one whose period ends last (charts.measurement_order)."""
    measured = list(commitment.updates.filter(measured_value__isnull=False))
    for update in measured:
        update.commitment = commitment  # its unit, without a query
    return max(measured, key=charts.measurement_order, default=None)


def card_language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else "en"


@cache
def _font_path(language: str, weight: str) -> str:
    for family, candidates in (("CJK", CJK_FONTS), ("LATIN", LATIN_FONTS)):
        if family == "LATIN" and language == "ja":
            break  # DejaVu has no kana or kanji
        for candidate in candidates:
            path = candidate.format(weight=_WEIGHTS[family][weight])
            if os.path.exists(path):
                return path
    raise FontMissing(f"No font for {language!r}: install fonts-noto-cjk (make fonts)")


def _font(language: str, weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_path(language, weight), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Lines no wider than `width` pixels, broken between words (or anywhere, for text without spaces such as
    Japanese); the last line shortened with "…" when the text is longer than `max_lines`."""
    units = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    line = ""
    for unit in units:
        candidate = f"{line}{joiner}{unit}" if line else unit
        if font.getlength(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = unit
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and font.getlength(lines[-1] + "…") > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] += "…"
    return lines


def render_card(commitment: Commitment, measurement: StatusUpdate | None, language: str, host: str) -> bytes:
    """The social card of `commitment` as a 1200×630 PNG, in `language` (its labels; the data as stored)."""
    with translation.override(language):
        width, height = CARD_SIZE
        margin = 64
        image = Image.new("RGB", CARD_SIZE, "#ffffff")
        draw = ImageDraw.Draw(image)
        colour = _STATUS_COLOURS.get(commitment.status, "#57606a")
        draw.rectangle((0, 0, width, 16), fill=colour)
        draw.text((margin, 48), _("Japan–US commitments tracker"), font=_font(language, "regular", 30), fill="#57606a")
        title_font = _font(language, "bold", 58)
        y = 104
        for line in _wrap(translated(commitment, "title").text, title_font, width - 2 * margin, 3):
            draw.text((margin, y), line, font=title_font, fill="#1b1f24")
            y += 72
        y += 16
        badge_font = _font(language, "bold", 32)
        status = commitment.get_status_display()
        badge_width = int(badge_font.getlength(status)) + 40
        draw.rounded_rectangle((margin, y, margin + badge_width, y + 52), radius=26, outline=colour, width=4)
        draw.text((margin + 20, y + 26), status, font=badge_font, fill=colour, anchor="lm")  # centred in the badge
        y += 76
        facts_font = _font(language, "regular", 32)
        facts = [
            (_("Target"), commitment.target_display or _("No numeric target stated")),
            (_("Deadline"), commitment.deadline_display),
        ]
        if measurement is not None:
            facts.append((_("Latest"), measurement.measurement_display))
        for label, value in facts:
            if y > height - 110:
                break
            text = _wrap(f"{label}: {value}", facts_font, width - 2 * margin, 1)[0]
            draw.text((margin, y), text, font=facts_font, fill="#1b1f24")
            y += 46
        draw.text((margin, height - 64), f"{host}{commitment.get_absolute_url()}", font=facts_font, fill="#0b5cad")
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
