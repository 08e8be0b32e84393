"""Issue 15: the editors' Japanese translations, the languages of sources, and Japanese search on PostgreSQL.

The new columns are empty everywhere, which is consistent with the replayed history (a title not translated is an
empty title_ja in every event, state and period): nothing to re-derive.

On PostgreSQL, tracker_cjk_grams(a, b) cuts the Japanese of two texts into overlapping character pairs (and the
last character of each run alone), as a tsvector; two GIN indexes are built on it (see tracker/search.py, whose CJK
class and cjk_grams() the function mirrors: a test compares them). Written out here, frozen, not imported.
"""

from django.db import migrations, models

CJK = (
    "\\u3005-\\u3007\\u3041-\\u309f\\u30a0-\\u30fa\\u30fc-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff"
    "\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a\\uff66-\\uff9f"
)
FUNCTION = f"""
CREATE OR REPLACE FUNCTION tracker_cjk_grams(a text, b text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT coalesce(array_to_tsvector(array_agg(DISTINCT substr(runs.run, i, 2))), ''::tsvector)
FROM (SELECT (regexp_matches(a || E'\\n' || b, '[{CJK}]+', 'g'))[1] AS run) AS runs,
     generate_series(1, length(runs.run)) AS i
$$
"""
INDEXES = (
    ("tracker_commitment", "commitment_search_ja_gin", "title_ja, summary_ja"),
    ("tracker_quote", "quote_search_ja_gin", "text, translation"),
)


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table, name, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (tracker_cjk_grams({columns}))")


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS tracker_cjk_grams(text, text)")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0009_correction_reasons_attribution"),
    ]

    operations = [
        migrations.AddField(
            model_name="actor",
            name="name_ja",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation, as Japanese newsrooms write it (高市早苗). Empty: the English is shown.",
                max_length=200,
                verbose_name="name in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="actor",
            name="role_ja",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation.",
                max_length=300,
                verbose_name="role in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="initial_title_ja",
            field=models.CharField(db_default="", default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="commitment",
            name="note_ja",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation of the note.",
                verbose_name="note in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="summary_ja",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation.",
                verbose_name="summary in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="title_ja",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation of the title. Once an update renamed the commitment, change it there.",
                max_length=200,
                verbose_name="title in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="commitmentstate",
            name="title_ja",
            field=models.CharField(blank=True, db_default="", default="", max_length=200),
        ),
        migrations.AddField(
            model_name="historicalactor",
            name="name_ja",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation, as Japanese newsrooms write it (高市早苗). Empty: the English is shown.",
                max_length=200,
                verbose_name="name in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="historicalactor",
            name="role_ja",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation.",
                max_length=300,
                verbose_name="role in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="initial_title_ja",
            field=models.CharField(db_default="", default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="note_ja",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation of the note.",
                verbose_name="note in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="summary_ja",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation.",
                verbose_name="summary in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="title_ja",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="The editors' translation of the title. Once an update renamed the commitment, change it there.",
                max_length=200,
                verbose_name="title in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="historicalquote",
            name="translation",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="Optional: the editors' translation into the other language (Japanese for an English source, English for a Japanese one). Shown under the quote, labelled as a translation, never as the quote.",
                verbose_name="editors’ translation",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("ja", "日本語")],
                db_default="en",
                default="en",
                help_text="The language the text is written in: its quotes are always shown in it.",
                max_length=2,
            ),
        ),
        migrations.AddField(
            model_name="historicalstatusupdate",
            name="new_title_ja",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="With a new title: the editors' translation of it (empty: the English is shown).",
                max_length=200,
                verbose_name="new title in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="historicalstatusupdate",
            name="old_title_ja",
            field=models.CharField(blank=True, db_default="", default="", max_length=200),
        ),
        migrations.AddField(
            model_name="quote",
            name="translation",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                help_text="Optional: the editors' translation into the other language (Japanese for an English source, English for a Japanese one). Shown under the quote, labelled as a translation, never as the quote.",
                verbose_name="editors’ translation",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("ja", "日本語")],
                db_default="en",
                default="en",
                help_text="The language the text is written in: its quotes are always shown in it.",
                max_length=2,
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="new_title_ja",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="With a new title: the editors' translation of it (empty: the English is shown).",
                max_length=200,
                verbose_name="new title in Japanese (editors’ translation)",
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="old_title_ja",
            field=models.CharField(blank=True, db_default="", default="", max_length=200),
        ),
        migrations.RunPython(create_search, drop_search),
    ]
