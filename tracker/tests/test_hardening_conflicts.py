"""No silent lost edit: two editors on one source, quote or actor; a text edit that would orphan quotes; a paste too
long to keep."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tracker.forms import SOURCE_TEXT_MAX_CHARS
from tracker.models import Actor, Quote, Source
from tracker.tests.admin_forms import admin_form_data


def _editor(name: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser(name, "", "a-long-password-123"))
    return client


@pytest.fixture
def two_editors(db):
    return _editor("first"), _editor("second")


@pytest.fixture
def quote(source, defence_pledge):
    quote = Quote.objects.create(text="spend 2% of GDP on defence", source=source)
    quote.commitments.add(defence_pledge)
    return quote


def _url(obj) -> str:
    return f"/admin/tracker/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.mark.parametrize(
    ("which", "field", "theirs", "mine"),
    [
        ("source", "description", "Their description", "My description"),
        ("quote", "note", "Their note", "My note"),
        ("actor", "role", "Their role", "My role"),
    ],
)
def test_the_second_save_is_refused_instead_of_overwriting_the_first(
    two_editors, source, quote, japan, which, field, theirs, mine
):
    obj = {"source": source, "quote": quote, "actor": japan}[which]
    first, second = two_editors
    form_id = f"{obj._meta.model_name}_form"
    my_form = admin_form_data(first, _url(obj), form_id)
    my_form["change_reason"] = "An editor's correction."  # an edit of a published record says why
    their_form = admin_form_data(second, _url(obj), form_id)
    their_form["change_reason"] = "An editor's correction."  # an edit of a published record says why
    their_form[field] = theirs
    response = second.post(_url(obj), their_form)
    assert response.status_code == 302, response.content.decode()[:2000]
    my_form[field] = mine
    response = first.post(_url(obj), my_form)
    assert response.status_code == 200
    assert f"Someone else saved this {obj._meta.verbose_name} after you opened this page" in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs


@pytest.mark.parametrize("model", [Source, Quote, Actor])
def test_every_save_bumps_the_revision(source, quote, japan, model):
    obj = model.objects.first()
    before = obj.revision
    obj.save()
    obj.refresh_from_db()
    assert obj.revision == before + 1


def test_a_text_edit_that_would_orphan_quotes_is_refused_naming_them(two_editors, source, quote):
    editor, _ = two_editors
    data = admin_form_data(editor, _url(source), "source_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    data["text"] = "Takaichi said Japan would spend a lot on defence by March 2026."
    response = editor.post(_url(source), data)
    assert response.status_code == 200
    page = response.content.decode()
    orphaned = Quote.objects.filter(source=source).count()
    assert orphaned >= 1
    assert f"{orphaned} quote(s) of this source would no longer be found" in page
    assert f"#{quote.pk} “spend 2% of GDP on defence”" in page
    assert "Takaichi said Japan would spend a lot on defence" in page  # the edit is still in the form
    source.refresh_from_db()
    assert "spend 2% of GDP on defence" in source.text


def test_the_orphaning_edit_is_saved_when_confirmed(two_editors, source, quote):
    editor, _ = two_editors
    data = admin_form_data(editor, _url(source), "source_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    data["text"] = "A rewritten article."
    data["confirm_orphaned_quotes"] = "on"
    assert editor.post(_url(source), data).status_code == 302
    source.refresh_from_db()
    assert source.text == "A rewritten article."


def test_a_text_edit_that_keeps_every_quote_needs_no_confirmation(two_editors, source, quote):
    editor, _ = two_editors
    data = admin_form_data(editor, _url(source), "source_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    data["text"] = source.text + "\nA new paragraph."
    assert editor.post(_url(source), data).status_code == 302


def test_an_oversize_paste_is_refused_with_a_message_and_the_text_kept(two_editors):
    editor, _ = two_editors
    # 4 MB: over the form's 2,000,000 characters, and over Django's default 2.5 MB request body (which would have
    # been refused before the form could keep the text).
    text = "word " * (2 * SOURCE_TEXT_MAX_CHARS // 5)
    response = editor.post(
        "/admin/tracker/source/add/", {"description": "A very long article", "kind": "news_report", "text": text}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This text is too long: at most 2,000,000 characters" in page
    assert text[:1000] in page and page.count("word ") >= len(text) // 5  # the paste is all there to copy
    assert not Source.objects.filter(description="A very long article").exists()


@pytest.mark.parametrize("which", ["source", "quote", "actor"])
def test_history_revert_goes_through_the_conflict_check_and_saves(two_editors, source, quote, japan, which):
    obj = {"source": source, "quote": quote, "actor": japan}[which]
    editor, _ = two_editors
    field = {"source": "description", "quote": "note", "actor": "role"}[which]
    old_value = getattr(obj, field)
    setattr(obj, field, "Changed later")
    obj.save()
    first = obj.history.order_by("history_id").first()
    url = f"/admin/tracker/{obj._meta.model_name}/{obj.pk}/history/{first.history_id}/"
    data = admin_form_data(editor, url, f"historical{obj._meta.model_name}_form")
    data["change_reason"] = "An editor's correction."  # an edit of a published record says why
    assert data, "the revert form was not found"
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    obj.refresh_from_db()
    assert getattr(obj, field) == old_value
