from tracker.models import Quote


def test_it_shows_metadata_text_and_quotes_with_their_commitments(client, defence_pledge, source):
    html = client.get(f"/sources/{source.pk}/").content.decode()
    assert "A test article" in html
    assert "Not stated in the text" in html
    assert source.text_sha256 in html
    assert "That’s a hot truck." in html
    assert 'href="/commitments/defence-2pct-gdp/">Defence spending of 2% of GDP</a>' in html


def test_it_runs_a_constant_number_of_queries(client, defence_pledge, source, django_assert_num_queries):
    for _ in range(10):
        Quote.objects.create(text="hot truck", source=source).commitments.add(defence_pledge)
    with django_assert_num_queries(3):
        client.get(f"/sources/{source.pk}/")


def test_it_answers_404_for_an_unknown_source(client, db):
    assert client.get("/sources/999999/").status_code == 404
