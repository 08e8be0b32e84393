"""Backups lose nothing (docs/backup.md).

The portable way — `dumpdata` to JSON, then `loaddata` into an empty, migrated database — on whichever database the
suite runs on (both CI passes): every row of every table (tracker data, its history, users, groups, sessions, admin
log, login attempts) comes back with the same primary key and the same values, even into a database whose content
types and permissions have other ids. The one thing JSON does not keep is the microseconds of timestamps (Django's
JSON encoder writes milliseconds); the test proves that is all.

The native ways, on their own database: `pg_dump -Fc` / `pg_restore` (PostgreSQL) and `.backup` (SQLite) give back
identical tables, row for row.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from tracker.models import Actor, Commitment, CommitmentLink, Quote, Source, Status, StatusUpdate
from tracker.roles import EDITOR_GROUP
from tracker.services import record_update

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "backup.md"
# Exactly what docs/backup.md tells people to run (checked below).
DUMP_OPTIONS = ["--natural-foreign", "--exclude=contenttypes", "--exclude=auth.permission", "--indent=1"]
DUMP_COMMAND = "manage.py dumpdata " + " ".join(DUMP_OPTIONS) + " -o backup.json"


def _make_history(client):
    """The seed, the Editor role, two users, edits of every kind (each leaves history rows), logins."""
    call_command("loaddata", "seed.json", verbosity=0)
    call_command("setup_roles", verbosity=0)
    users = get_user_model()
    admin = users.objects.create_superuser("aiko", "aiko@example.org", "a-long-password-123")
    editor = users.objects.create_user(
        "hana",
        "hana@example.org",
        "another-password-456",
        is_staff=True,
        first_name="Hana",
        last_login=datetime.datetime(2026, 11, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC),
    )
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    editor.user_permissions.add(Permission.objects.get(codename="view_logentry"))

    commitment = Commitment.objects.get(slug="defence-2pct-gdp")
    update = StatusUpdate(
        commitment=commitment,
        happened_on=datetime.date(2026, 11, 2),
        note="Rated after review.",
        new_status=Status.STALLED,
        new_target_value=Decimal("2.5000"),
        source=Source.objects.first(),
    )
    update._history_user = editor
    record_update(update)  # the update and the commitment it changes, in one transaction

    commitment.refresh_from_db()
    commitment.title = "Defence spending of 2% of GDP (edited)"
    commitment.note = "Quotes “curly” and 日本語 survive."
    commitment._history_user = editor
    commitment.save()
    for model, field in ((Actor, "role"), (Source, "date_note"), (Quote, "note")):
        row = model.objects.order_by("pk").first()
        setattr(row, field, "Edited for the backup test.")
        row._history_user = admin
        row.save()
    link = CommitmentLink.objects.order_by("pk").first()
    link._history_user = admin
    link.delete()  # a "-" history row for something that no longer exists

    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Commitment),
        object_id=str(commitment.pk),
        object_repr=str(commitment),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Title"]}}]',
    )
    session = SessionStore()
    session["_auth_user_id"] = str(editor.pk)
    session.create()
    # django-axes' records: a login (access log, session), then a failed one (access attempt).
    assert client.post("/admin/login/", {"username": "hana", "password": "another-password-456"}).status_code == 302
    assert client.post("/admin/login/", {"username": "aiko", "password": "wrong"}).status_code == 200


def _snapshot() -> dict[str, list]:
    """Every row of every table, by model, in primary-key order (many-to-many links as sorted pairs).

    References to content types and permissions are replaced by their natural keys: those tables are rebuilt by
    `migrate`, not restored, so their ids may differ. Timestamps are compared to the millisecond (all JSON keeps).
    """
    content_types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    permissions = {
        p.pk: (p.content_type.app_label, p.codename) for p in Permission.objects.select_related("content_type")
    }
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if model in (ContentType, Permission) or model._meta.proxy or not model._meta.managed:
            continue
        rows: list = []
        for row in model._base_manager.order_by("pk").values():
            for field in model._meta.concrete_fields:
                value = row[field.attname]
                if field.is_relation and field.related_model is ContentType:
                    value = content_types.get(value, value)
                elif field.is_relation and field.related_model is Permission:
                    value = permissions.get(value, value)
                elif isinstance(value, (datetime.datetime, datetime.time)):
                    value = value.replace(microsecond=value.microsecond // 1000 * 1000)
                row[field.attname] = value
            rows.append(row)
        if model._meta.auto_created:
            # A many-to-many table: JSON keeps the links (on the objects), not the link rows' own ids, which nothing
            # refers to. Compare the links.
            rows = sorted(tuple(sorted((k, v) for k, v in row.items() if k != model._meta.pk.attname)) for row in rows)
        snapshot[model._meta.label] = rows
    return snapshot


def _empty_database_with_other_content_type_ids():
    """What `migrate` gives on a new database: empty tables, content types and permissions — here with ids unlike the
    old ones, as they would be on a database migrated in another order."""
    call_command("flush", "--noinput", inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()
    placeholders = [ContentType.objects.create(app_label="backup_test", model=f"placeholder{n}") for n in range(7)]
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    for placeholder in placeholders:
        placeholder.delete()
    ContentType.objects.clear_cache()


def test_the_documented_command_is_the_one_tested():
    assert DUMP_COMMAND in DOCS.read_text()


def test_dumpdata_then_loaddata_into_an_empty_database_gives_back_every_row_history_included(tmp_path, client):
    _make_history(client)
    before = _snapshot()
    for label in (
        "tracker.HistoricalCommitment",
        "tracker.HistoricalStatusUpdate",
        "tracker.HistoricalActor",
        "tracker.HistoricalSource",
        "tracker.HistoricalQuote",
        "tracker.HistoricalCommitmentLink",
        "auth.User",
        "auth.Group",
        "auth.Group_permissions",
        "auth.User_groups",
        "auth.User_user_permissions",
        "admin.LogEntry",
        "sessions.Session",
        "tracker.Quote_commitments",
        "axes.AccessLog",
        "axes.AccessAttempt",
    ):
        assert before[label], f"the test made no {label} rows"
    assert {row["history_type"] for row in before["tracker.HistoricalCommitmentLink"]} == {"-"}
    assert any(row["history_user_id"] for row in before["tracker.HistoricalCommitment"])
    old_ct = ContentType.objects.get_for_model(Commitment).pk

    backup = tmp_path / "backup.json"
    call_command("dumpdata", *DUMP_OPTIONS, "-o", str(backup), verbosity=0)
    dumped = {item["model"] for item in json.loads(backup.read_text())}
    assert "tracker.historicalcommitment" in dumped and "contenttypes.contenttype" not in dumped

    _empty_database_with_other_content_type_ids()
    assert not Commitment.objects.exists() and not get_user_model().objects.exists()
    assert ContentType.objects.get_for_model(Commitment).pk != old_ct  # the restore cannot rely on the old ids

    call_command("loaddata", str(backup), verbosity=0)
    after = _snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], f"{label} differs after the round trip"

    # The restored database works: sequences are past the restored ids, history goes on, people can log in.
    hana = get_user_model().objects.get(username="hana")
    assert hana.check_password("another-password-456") and hana.has_perm("tracker.change_commitment")
    commitment = Commitment.objects.get(slug="defence-2pct-gdp")
    newer = StatusUpdate(
        commitment=commitment,
        happened_on=datetime.date(2026, 11, 3),
        note="After the restore.",
        # A change (the seed has it in the works): the history engine writes an audit row only when the state changes.
        new_status=Status.KEPT,
        source=Source.objects.first(),
    )
    newer._history_user = hana
    record_update(newer)
    assert Commitment.objects.get(pk=commitment.pk).status == Status.KEPT
    assert (
        commitment.history.count()
        == len([r for r in before["tracker.HistoricalCommitment"] if r["id"] == commitment.pk]) + 1
    )
    get_user_model().objects.create_user("new-after-restore")
    Actor.objects.create(name="A new actor", slug="a-new-actor", kind="person", country="JP")


def test_json_keeps_timestamps_to_the_millisecond_only():
    """The one known loss of the portable format, pinned down: microseconds of timestamps."""
    users = get_user_model()
    users.objects.create_user("kenji", last_login=datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC))
    out = io.StringIO()
    call_command("dumpdata", "auth.user", stdout=out)
    assert json.loads(out.getvalue())[0]["fields"]["last_login"] == "2026-01-02T03:04:05.678Z"


# ---------------------------------------------------------------------------------------------------------------
# The native ways
# ---------------------------------------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": settings["HOST"] or "127.0.0.1",
        "PGPORT": str(settings["PORT"] or 5432),
        "PGUSER": settings["USER"] or "postgres",
    }
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _pg_tables(dbname: str) -> dict[str, tuple | None]:
    """Per table: row count and a checksum of all its rows; per sequence: its value; and the index names."""
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    ) as pg:
        tables = [
            name
            for (name,) in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ]
        state = {}
        for table in tables:
            state[table] = pg.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"
            ).fetchone()
        state["sequences"] = tuple(
            pg.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall()
        )
        state["indexes"] = tuple(
            name for (name,) in pg.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
        )
        return state


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore: the PostgreSQL pass runs this")
def test_pg_dump_and_pg_restore_give_back_identical_tables(tmp_path, client):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed (Debian: postgresql-client)")
    _make_history(client)
    source = connection.settings_dict["NAME"]
    copy = f"{source}_restore"[:63]
    env = _pg_env()
    dump = tmp_path / "tracker.dump"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), source], env=env, check=True, timeout=120)
    subprocess.run(["dropdb", "--if-exists", copy], env=env, check=True, timeout=60)
    subprocess.run(["createdb", copy], env=env, check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", copy, str(dump)], env=env, check=True, timeout=120
        )
        original, restored = _pg_tables(source), _pg_tables(copy)
        assert original["tracker_historicalcommitment"][0] > 0
        assert "commitment_search_gin" in restored["indexes"]
        assert restored == original
    finally:
        subprocess.run(["dropdb", "--if-exists", copy], env=env, check=False, timeout=60)


def _sqlite_tables(path: Path) -> dict[str, list]:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        state = {table: db.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall() for table in tables}
        state["schema"] = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        return state
    finally:
        db.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="sqlite3 .backup: the SQLite pass runs this")
def test_sqlite_backup_gives_back_identical_tables(tmp_path, client):
    _make_history(client)
    source = Path(connection.settings_dict["NAME"])
    copy = tmp_path / "backup.sqlite3"
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", str(source), f".backup '{copy}'"], check=True, timeout=60)
    else:  # the same online backup, from Python (docs/backup.md gives both)
        with sqlite3.connect(source) as live, sqlite3.connect(copy) as target:
            live.backup(target)
    original, restored = _sqlite_tables(source), _sqlite_tables(copy)
    assert original["tracker_historicalcommitment"]
    assert restored == original
