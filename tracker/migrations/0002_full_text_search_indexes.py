"""GIN indexes for full-text search, on PostgreSQL only (SQLite searches by substring, see tracker/search.py).

They are built from the very expressions tracker/search.py queries with, so PostgreSQL can use them; they are
not in the models' Meta because SQLite has no such index.
"""

from django.db import migrations

INDEXES = (
    ("Commitment", "commitment_search_gin", "commitment_document"),
    ("Quote", "quote_search_gin", "quote_document"),
)


def _indexes(apps):
    from django.contrib.postgres.indexes import GinIndex

    from tracker import search

    for model_name, index_name, document in INDEXES:
        yield apps.get_model("tracker", model_name), GinIndex(getattr(search, document)(), name=index_name)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
