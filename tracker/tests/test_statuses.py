from tracker.models import Formality, Status


def test_it_defines_every_status_and_formality(client, db):
    html = client.get("/statuses/").content.decode()
    for choice in [*Status, *Formality]:
        assert str(choice.label) in html
        assert choice.definition in html
    assert 'id="status-kept"' in html
