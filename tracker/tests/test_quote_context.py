import re

from tracker.models import Quote, Source

ARTICLE = (
    "Headline\n\nTakaichi said Japan would “spend 2% of GDP\non defence” by March 2026.\n\nUnrelated <b>paragraph</b>."
)


def _quote(defence_pledge, text="spend 2% of GDP on defence"):
    source = Source.objects.create(title="The summit", description="Report", kind="news_report", text=ARTICLE)
    quote = Quote.objects.create(text=text, source=source)
    quote.commitments.add(defence_pledge)
    return quote


def test_it_shows_the_paragraphs_holding_the_quote_with_the_quote_highlighted(client, defence_pledge):
    quote = _quote(defence_pledge)
    response = client.get(f"/quotes/{quote.pk}/context/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<!doctype html>" in html.lower()
    assert "Takaichi said Japan would “<mark" in html
    assert re.search(
        r"<mark[^>]*>spend 2% of GDP</mark></p>\s*<p><mark[^>]*>on defence</mark>” by March 2026.</p>", html
    )
    assert "Headline" not in html.split('class="quote-context"')[1]
    assert "Unrelated" not in html
    assert f'<a href="/sources/{quote.source_id}/#quote-{quote.pk}">The summit</a>' in html
    # The way back to what it supports, for a reader without JavaScript.
    assert 'href="/commitments/defence-2pct-gdp/"' in html


def test_it_gives_htmx_only_the_fragment_to_swap_in(client, defence_pledge):
    quote = _quote(defence_pledge)
    response = client.get(f"/quotes/{quote.pk}/context/", headers={"HX-Request": "true"})
    html = response.content.decode().strip()
    assert html.startswith(f'<div class="quote-context" id="quote-context-{quote.pk}">')
    assert html.endswith("</div>")
    assert "<html" not in html and "<h1" not in html
    assert "spend 2% of GDP</mark>" in html
    assert "HX-Request" in response["Vary"]


def test_it_escapes_the_article_text(client, defence_pledge):
    quote = _quote(defence_pledge, text="Unrelated <b>paragraph</b>")
    html = client.get(f"/quotes/{quote.pk}/context/").content.decode()
    assert "<mark>Unrelated &lt;b&gt;paragraph&lt;/b&gt;</mark>" in html.replace(' class="quote-mark"', "").replace(
        f' data-quote="{quote.pk}"', ""
    )


def test_it_says_when_the_quote_is_not_in_its_source(client, defence_pledge):
    quote = _quote(defence_pledge, text="Words nobody wrote")
    html = client.get(f"/quotes/{quote.pk}/context/").content.decode()
    assert "not found in the stored text" in html
    assert "<mark" not in html


def test_it_runs_a_constant_number_of_queries(client, defence_pledge, make_commitment, django_assert_num_queries):
    quote = _quote(defence_pledge)
    for _ in range(10):
        quote.commitments.add(make_commitment())
    with django_assert_num_queries(1):
        client.get(f"/quotes/{quote.pk}/context/", headers={"HX-Request": "true"})
    with django_assert_num_queries(2):
        client.get(f"/quotes/{quote.pk}/context/")


def test_it_answers_404_for_an_unknown_quote(client, db):
    assert client.get("/quotes/999999/context/").status_code == 404
    assert client.get("/quotes/999999/context/", headers={"HX-Request": "true"}).status_code == 404
