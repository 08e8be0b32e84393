"""The embeddable card (the one route other sites may frame) and the social card image."""

import datetime
import io

import pytest
from PIL import Image

from tracker import services
from tracker.models import StatusUpdate


@pytest.fixture
def measured(history):
    return history


def test_the_embed_shows_the_commitment_and_links_back(client, measured):
    response = client.get("/commitments/defence-2pct-gdp/embed/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Defence spending of 2% of GDP" in body
    assert "2% of GDP, from about 1.8%" in body  # target
    assert "by March 2026" in body  # deadline
    assert "1.8% of GDP for November 2025" in body  # latest measurement
    assert 'href="http://testserver/commitments/defence-2pct-gdp/" target="_blank" rel="noopener"' in body


def _frame_ancestors(response) -> str:
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return policy["frame-ancestors"]


def test_only_the_embed_may_be_framed_even_from_the_cache(client, measured):
    for _attempt in (1, 2):  # rendered, then served from the page cache
        embed = client.get("/commitments/defence-2pct-gdp/embed/")
        assert _frame_ancestors(embed) == "*"
        assert "X-Frame-Options" not in embed
    page = client.get("/commitments/defence-2pct-gdp/")
    assert _frame_ancestors(page) == "'none'"
    assert page["X-Frame-Options"] == "DENY"


def test_the_commitment_page_offers_the_iframe_snippet_and_the_card(client, measured):
    body = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert (
        '&lt;iframe src="http://testserver/commitments/defence-2pct-gdp/embed/" title="Defence spending of 2% of GDP"'
    ) in body
    assert '<meta property="og:image" content="http://testserver/commitments/defence-2pct-gdp/card.png">' in body
    assert '<meta name="twitter:image" content="http://testserver/commitments/defence-2pct-gdp/card.png">' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body


def _png(client, url) -> Image.Image:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    return image


def test_the_social_card_is_a_1200_by_630_png_and_is_cached(client, measured, django_assert_max_num_queries):
    image = _png(client, "/commitments/defence-2pct-gdp/card.png")
    assert image.size == (1200, 630)
    assert len(set(image.convert("L").getdata())) > 10  # text drawn, not a blank canvas
    with django_assert_max_num_queries(0):  # the second reader gets the stored PNG
        assert client.get("/commitments/defence-2pct-gdp/card.png").status_code == 200


def test_the_card_has_a_japanese_variant_drawn_with_a_cjk_font(client, make_commitment):
    make_commitment(slug="jp", title="防衛費をGDP比2%に引き上げる", deadline=datetime.date(2026, 3, 31),
                    deadline_precision="month")  # fmt: skip
    # Needs Debian's fonts-noto-cjk, which `make test` and `make test-fast` install (`make fonts`): never skipped.
    english = _png(client, "/commitments/jp/card.png")
    japanese = _png(client, "/ja/commitments/jp/card.png")
    assert japanese.size == english.size == (1200, 630)
    assert japanese.tobytes() != english.tobytes()  # its labels in Japanese (状況, 期限), not the English card again
    body = client.get("/ja/commitments/jp/").content.decode()
    assert '<meta property="og:image" content="http://testserver/ja/commitments/jp/card.png">' in body


def test_hostile_and_long_titles_are_harmless(client, make_commitment, source):
    evil = make_commitment(
        slug="evil", title="<script>alert(1)</script>" + " very long words" * 10
    )  # 186 of the 200 characters a title may have
    services.record_update(
        StatusUpdate(commitment=evil, happened_on=datetime.date(2025, 10, 1), source=source, note="x",
                     measured_value="3", measured_as_of=datetime.date(2025, 10, 1), measured_precision="month")
    )  # fmt: skip
    assert "<script>alert" not in client.get("/commitments/evil/embed/").content.decode()
    assert "<script>alert" not in client.get("/commitments/evil/").content.decode()
    assert _png(client, "/commitments/evil/card.png").size == (1200, 630)


def test_unknown_commitments(client, db):
    assert client.get("/commitments/nope/embed/").status_code == 404
    assert client.get("/commitments/nope/card.png").status_code == 404


def test_japanese_is_drawn_with_real_glyphs_not_empty_boxes():
    from tracker.embeds import _font

    font = _font("ja", "bold", 58)
    # A font without kana or kanji draws every one as the same empty box (.notdef): here each has its own shape.
    shapes = {bytes(font.getmask(character)) for character in "防衛費引上"}
    assert len(shapes) == 5


def test_a_long_title_is_cut_with_an_ellipsis_and_stays_on_the_card():
    from tracker.embeds import _font, _wrap

    font = _font("en", "bold", 58)
    lines = _wrap("Japan buys American liquefied natural gas " * 8, font, 1072, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1072 for line in lines)
