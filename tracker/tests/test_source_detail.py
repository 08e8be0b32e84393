import re

from tracker.models import Quote, Source


def test_it_shows_metadata_text_and_quotes_with_their_commitments(client, defence_pledge, source):
    html = client.get(f"/sources/{source.pk}/").content.decode()
    assert "A test article" in html
    assert "Not stated in the text" in html
    assert source.text_sha256 in html
    assert "That’s a hot truck." in html
    assert 'href="/commitments/defence-2pct-gdp/">Defence spending of 2% of GDP</a>' in html
    assert 'href="/sources/"' in html


def test_it_highlights_each_quote_in_the_text_linked_to_its_commitment(client, defence_pledge, source):
    quote = defence_pledge.quotes.get()
    html = client.get(f"/sources/{source.pk}/").content.decode()
    text = html.split('class="stored-text"')[1]
    assert re.search(
        rf'<mark id="quote-{quote.pk}"[^>]*><a href="/commitments/defence-2pct-gdp/"[^>]*>spend 2% of GDP on defence</a></mark>',
        text,
    )
    assert f'href="#quote-{quote.pk}">Show in the text</a>' in html


def test_it_shows_the_text_as_paragraphs(client, db):
    source = Source.objects.create(description="Plain text", kind="news_report", text="Headline\n\nFirst.\nSecond.\n\n")
    html = client.get(f"/sources/{source.pk}/").content.decode()
    assert re.search(r"<p>Headline</p>\s*<p>First.</p>\s*<p>Second.</p>\s*</div>", html)


def test_it_links_a_quote_to_every_commitment_it_supports(client, defence_pledge, source, make_commitment):
    other = make_commitment(slug="hot-truck", title="Japan buys pick-up trucks")
    Quote.objects.create(text="That's a hot truck.", source=source).commitments.add(defence_pledge, other)
    text = client.get(f"/sources/{source.pk}/").content.decode().split('class="stored-text"')[1]
    assert re.search(r'<a href="/commitments/defence-2pct-gdp/"[^>]*>That’s a hot truck.</a></mark>', text)
    assert '(also supports <a href="/commitments/hot-truck/">Japan buys pick-up trucks</a>)' in text


def test_it_lists_each_commitment_it_supports_once(client, defence_pledge, source):
    Quote.objects.create(text="by March 2026", source=source).commitments.add(defence_pledge)
    html = client.get(f"/sources/{source.pk}/").content.decode()
    section = html.split('id="commitments-heading"')[1].split("</section>")[0]
    assert section.count("/commitments/defence-2pct-gdp/") == 1


def test_it_escapes_html_in_the_stored_text(client, defence_pledge):
    source = Source.objects.create(
        description="<b>desc</b>", kind="news_report", text="Hello <script>alert(1)</script> world"
    )
    Quote.objects.create(text="<script>alert(1)</script>", source=source).commitments.add(defence_pledge)
    html = client.get(f"/sources/{source.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a></mark>" in html
    assert "&lt;b&gt;desc&lt;/b&gt;" in html


def test_it_says_when_a_quote_is_not_in_the_text(client, defence_pledge, source):
    Quote.objects.create(text="Words nobody wrote", source=source).commitments.add(defence_pledge)
    html = client.get(f"/sources/{source.pk}/").content.decode()
    assert "not found in the stored text" in html
    assert html.count("<mark id=") == 1


def test_it_runs_a_constant_number_of_queries(
    client, defence_pledge, source, make_commitment, django_assert_num_queries
):
    for _ in range(10):
        quote = Quote.objects.create(text="hot truck", source=source)
        quote.commitments.add(defence_pledge, make_commitment())
    with django_assert_num_queries(3):
        client.get(f"/sources/{source.pk}/")


def test_it_answers_404_for_an_unknown_source(client, db):
    assert client.get("/sources/999999/").status_code == 404
