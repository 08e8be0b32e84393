import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tracker.models import Commitment, Source
from tracker.roles import EDITOR_GROUP, editor_permission_codenames, sync_editor_group


@pytest.fixture
def editor(client, role_editor):
    client.force_login(role_editor)
    return client


def test_it_gives_the_editor_group_exactly_the_data_entry_permissions(db):
    call_command("setup_roles", verbosity=0)
    group = sync_editor_group()
    assert group.name == EDITOR_GROUP
    assert set(group.permissions.values_list("codename", flat=True)) == editor_permission_codenames()
    assert "delete_source" not in editor_permission_codenames()
    assert "delete_commitment" not in editor_permission_codenames()


def test_it_puts_the_permissions_back_when_run_again(db):
    group = sync_editor_group()
    group.permissions.clear()
    call_command("setup_roles", verbosity=0)
    assert group.permissions.count() == len(editor_permission_codenames())


def test_an_editor_enters_data(editor, defence_pledge):
    assert editor.get("/admin/tracker/source/add/").status_code == 200
    assert editor.get("/admin/tracker/quote/add/").status_code == 200
    assert editor.get("/admin/tracker/statusupdate/add/").status_code == 200
    assert editor.get(f"/admin/tracker/commitment/{defence_pledge.pk}/change/").status_code == 200


def test_an_editor_cannot_delete_sources_or_commitments(editor, defence_pledge, source):
    assert editor.post(f"/admin/tracker/source/{source.pk}/delete/", {"post": "yes"}).status_code == 403
    assert editor.post(f"/admin/tracker/commitment/{defence_pledge.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()
    assert Commitment.objects.filter(pk=defence_pledge.pk).exists()


def test_an_editor_cannot_administer_users(editor):
    assert editor.get("/admin/auth/user/").status_code == 403
    assert editor.get("/admin/auth/group/").status_code == 403


def test_a_user_who_is_not_staff_never_sees_the_admin(client, db):
    user = get_user_model().objects.create_user("reader", "", "a-long-password-123")
    user.groups.add(sync_editor_group())
    client.force_login(user)
    assert client.get("/admin/tracker/commitment/").status_code == 302


def test_the_demo_users_exist_only_in_debug(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.exists()
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert editor.groups.filter(name=EDITOR_GROUP).exists()
