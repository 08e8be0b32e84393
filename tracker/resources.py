"""CSV export and import of commitments and status updates (django-import-export), for the admin and the CLI.

Import is all or nothing: one invalid row and nothing is saved (IMPORT_EXPORT_USE_TRANSACTIONS). The rules are
the admin's: a commitment's state is derived from its status updates, never imported; updates, new or edited, in any
date order, go through `services.record_update`, which replays the commitment's history.
"""

from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from tracker import services
from tracker.exports import from_spreadsheet_safe, spreadsheet_safe
from tracker.models import REVISABLE, STATE_COLUMNS, TITLE_COLUMNS, Actor, Commitment, Source, StatusUpdate

OLD_FIELDS = tuple(name for revisable in REVISABLE for name in revisable.old_fields)

# An import through the admin runs inside one web request: it must end well before gunicorn's timeout. Each row
# takes some 35–40 ms (every rule checked, the history written), so at most this many rows; the command line
# (`manage.py import_csv`) has no such limit.
ADMIN_IMPORT_MAX_ROWS = 300


class PlainDecimalWidget(widgets.DecimalWidget):
    """A number that is not one is named in plain words (not "[<class 'decimal.InvalidOperation'>]")."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError(f"“{str(value)[:40]}” is not a number (write it like 2 or 1.5).") from None


class PlainDateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, TypeError, OverflowError):
            raise ValueError(f"“{str(value)[:40]}” is not a date (write it like 2025-10-28).") from None


class AllOrNothingResource(resources.ModelResource):
    """Whoever imports (admin or command line), one bad row means nothing is saved.

    Cells that a spreadsheet would run as a formula are exported behind an apostrophe (which spreadsheets
    show as text) and read back without it, so a round trip changes nothing.
    """

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "DecimalField": PlainDecimalWidget,
        "DateField": PlainDateWidget,
    }

    def import_data(self, dataset, **kwargs):
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, max_rows=None, **kwargs):
        """Refuse, before any row is read, a file over the admin's row limit or naming one record twice.

        Rows are numbered as the admin numbers them (the first row after the header is row 1), on the command
        line too. The rows are dropped from the dataset so that nothing else is reported or done.
        """
        problem = None
        if max_rows is not None and len(dataset) > max_rows:
            problem = (
                f"This file has {len(dataset):,} rows: the admin imports at most {max_rows:,} at a time (a longer "
                "import would outlast the web request). Split the file, or import it on the command line: "
                "manage.py import_csv."
            )
        else:
            problem = self._duplicate_keys(dataset)
        if problem:
            del dataset[:]
            raise ValidationError(problem)
        super().before_import(dataset, **kwargs)

    def _duplicate_keys(self, dataset) -> str | None:
        keys = [name for name in self._meta.import_id_fields if name in (dataset.headers or [])]
        if not keys:
            return None
        seen: dict[tuple, int] = {}
        for number, row in enumerate(dataset.dict, 1):
            key = tuple(str(row.get(name) or "").strip() for name in keys)
            if not any(key):
                continue  # no key: a new record (a status update without an id)
            if key in seen:
                named = ", ".join(f"{name} “{value}”" for name, value in zip(keys, key, strict=True))
                return (
                    f"Rows {seen[key]} and {number} both have {named}: a file may name each record only once "
                    "(merge the two rows)."
                )
            seen[key] = number
        return None

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return spreadsheet_safe(value) if isinstance(value, str) else value

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            if isinstance(value, str):
                row[key] = from_spreadsheet_safe(value)


class CommitmentResource(AllOrNothingResource):
    pledged_by = fields.Field(
        attribute="pledged_by", column_name="pledged_by", widget=widgets.ForeignKeyWidget(Actor, field="slug")
    )
    pledged_to = fields.Field(
        attribute="pledged_to", column_name="pledged_to", widget=widgets.ForeignKeyWidget(Actor, field="slug")
    )

    class Meta:
        model = Commitment
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "title_ja",
            "summary",
            "summary_ja",
            "kind",
            "nature",
            "pledged_by",
            "pledged_to",
            "status",
            "formality",
            "unit",
            "unit_label",
            "baseline_value",
            "baseline_is_approximate",
            "baseline_as_of",
            "baseline_as_of_precision",
            "target_qualifier",
            "target_value",
            "deadline",
            "deadline_precision",
            "announced_on",
            "announced_precision",
            "instrument",
            "lapses_on",
            "note",
            "note_ja",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("pledged_by", "pledged_to").order_by("slug")

    def import_instance(self, instance, row, **kwargs):
        before = {name: getattr(instance, name) for name in STATE_COLUMNS} if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if before is None:
            return
        # The title is the editors' wording until an event renames the commitment (services.save_commitment).
        derived = [name for name in STATE_COLUMNS if name not in TITLE_COLUMNS or services.has_renamings(instance)]
        changed = [name for name in derived if getattr(instance, name) != before[name]]
        if changed:
            raise ValidationError(
                {
                    name: f"Was {before[name]!r}: the {name.replace('_', ' ')} of an existing commitment changes only "
                    "through a status update (import one, with its source)."
                    for name in changed
                }
            )

    def do_instance_save(self, instance, is_create):
        services.save_commitment(instance)


class StatusUpdateResource(AllOrNothingResource):
    commitment = fields.Field(
        attribute="commitment", column_name="commitment", widget=widgets.ForeignKeyWidget(Commitment, field="slug")
    )
    source = fields.Field(attribute="source", column_name="source", widget=widgets.ForeignKeyWidget(Source))

    class Meta:
        model = StatusUpdate
        fields = (
            "id",
            "commitment",
            "happened_on",
            "happened_precision",
            "date_is_report_date",
            "source",
            "quote",
            "note",
            *(name for revisable in REVISABLE for name in (*revisable.old_fields, *revisable.new_fields)),
            "measured_value",
            "measured_unit",
            "measured_is_approximate",
            "measured_as_of",
            "measured_precision",
            "measured_basis",
            "basis_changed",
            "money_stage",
        )
        export_order = fields
        # The old values are history: exported for reading, filled in by the service on import.
        readonly = OLD_FIELDS
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("commitment", "source")
            .order_by("commitment__slug", "happened_on", "id")
        )

    def get_import_fields(self):
        return [field for field in super().get_import_fields() if field.attribute not in self._meta.readonly]

    def do_instance_save(self, instance, is_create):
        services.record_update(instance)


# What `manage.py export_csv` and `import_csv` know, by the name given on the command line.
RESOURCES = {"commitments": CommitmentResource, "updates": StatusUpdateResource}
