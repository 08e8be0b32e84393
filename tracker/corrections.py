"""The public corrections log, read from the audit history (django-simple-history).

A correction is an edit (or deletion) of something already published, saved with the editor's reason in
`history_change_reason`. A new record (a commitment, a quote, a new event) is a new development, not a correction,
and is never listed; nor are the saves the replay makes of a commitment's derived state (they carry no reason).
Each entry says what changed, old → new, field by field, against the version before it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from tracker.history import OLD_FIELDS
from tracker.models import Actor, Commitment, Quote, Source, StatusUpdate

# What a correction can concern, in the order the log names them.
MODELS = (Commitment, Quote, StatusUpdate, Actor, Source)
# Book-keeping, not facts: never shown as a change.
IGNORED = {"id", "revision", "text_sha256", "initial_title", *OLD_FIELDS}  # an event's old values are derived


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Correction:
    when: datetime.datetime
    what: str  # "Commitment", "Quote", "Event", …
    subject: str
    url: str
    reason: str
    deleted: bool
    changes: list[Change] = field(default_factory=list)
    anchor: str = ""


# The names of the fields a correction can change (the models' verbose names, capitalised), marked for the catalogue:
# the log shows them in the reader's language.
FIELD_LABELS = (
    gettext_noop("According to"),
    gettext_noop("Announced on"),
    gettext_noop("Announced precision"),
    gettext_noop("Author"),
    gettext_noop("Baseline as of"),
    gettext_noop("Baseline as of precision"),
    gettext_noop("Baseline is approximate"),
    gettext_noop("Baseline value"),
    gettext_noop("Basis changed"),
    gettext_noop("Changed at"),
    gettext_noop("Commitment"),
    gettext_noop("Country"),
    gettext_noop("Date is report date"),
    gettext_noop("Date note"),
    gettext_noop("Deadline"),
    gettext_noop("Deadline precision"),
    gettext_noop("Description"),
    gettext_noop("Formality"),
    gettext_noop("Happened on"),
    gettext_noop("Happened precision"),
    gettext_noop("Initial deadline"),
    gettext_noop("Initial deadline precision"),
    gettext_noop("Initial formality"),
    gettext_noop("Initial instrument"),
    gettext_noop("Initial status"),
    gettext_noop("Initial target value"),
    gettext_noop("Instrument"),
    gettext_noop("Is reported"),
    gettext_noop("Kind"),
    gettext_noop("Lapses on"),
    gettext_noop("Measured as of"),
    gettext_noop("Measured basis"),
    gettext_noop("Measured is approximate"),
    gettext_noop("Measured precision"),
    gettext_noop("Measured unit"),
    gettext_noop("Measured value"),
    gettext_noop("Money stage"),
    gettext_noop("Name"),
    gettext_noop("Nature"),
    gettext_noop("New deadline"),
    gettext_noop("New deadline precision"),
    gettext_noop("New formality"),
    gettext_noop("New instrument"),
    gettext_noop("New status"),
    gettext_noop("New target value"),
    gettext_noop("New title"),
    gettext_noop("Note"),
    gettext_noop("Pledged by"),
    gettext_noop("Pledged to"),
    gettext_noop("Published on"),
    gettext_noop("Published precision"),
    gettext_noop("Publisher"),
    gettext_noop("Quote"),
    gettext_noop("Recorded at"),
    gettext_noop("Represents"),
    gettext_noop("Role"),
    gettext_noop("Said on"),
    gettext_noop("Said precision"),
    gettext_noop("Seed file"),
    gettext_noop("Slug"),
    gettext_noop("Source"),
    gettext_noop("Speaker"),
    gettext_noop("Status"),
    gettext_noop("Summary"),
    gettext_noop("Target qualifier"),
    gettext_noop("Target value"),
    gettext_noop("Text"),
    gettext_noop("Title"),
    gettext_noop("Unit"),
    gettext_noop("Unit label"),
    gettext_noop("Url"),
)


# What a corrected record is called on the log, in the reader's language.
KIND_NAMES = {
    Commitment: _("Commitment"),
    Quote: _("Quote"),
    StatusUpdate: _("Event"),
    Actor: _("Actor"),
    Source: _("Source"),
}


def _kind(model) -> str:
    return str(KIND_NAMES[model])


def _fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in IGNORED]


def _words(f: models.Field, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        return names.get((f.related_model, value), gettext("(deleted)"))
    if isinstance(f, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _subject_and_url(model, row, names: dict) -> tuple[str, str]:
    if model is Commitment:
        return row.title, reverse("commitment_detail", args=[row.slug])
    if model is StatusUpdate:
        title = names.get((Commitment, row.commitment_id), gettext("a commitment"))
        url = reverse("update_detail", args=[row.id]) if row.history_type != "-" else ""
        return f"{title}: the event of {row.happened_on.isoformat()}", url
    if model is Quote:
        text = row.text if len(row.text) <= 80 else row.text[:79] + "…"
        return f"“{text}”", reverse("source_detail", args=[row.source_id]) + f"#quote-item-{row.id}"
    if model is Source:
        return row.title or row.description, reverse("source_detail", args=[row.id])
    return str(row.name), ""


def corrections(limit: int | None = None) -> list[Correction]:
    """Every correction, newest first. Two queries per kind of record (the corrections, the versions before them),
    and one per kind of record they name (commitments, actors, sources), whatever the number of corrections."""
    found: list[tuple[Any, Any, Any]] = []
    for model in MODELS:
        historical: Any = model.history.model
        rows = list(
            historical.objects.filter(history_type__in=("~", "-"))
            .exclude(history_change_reason__isnull=True)
            .exclude(history_change_reason="")
            .order_by("-history_date")
        )
        if not rows:
            continue
        versions = historical.objects.filter(id__in={row.id for row in rows}).order_by("id", "history_date", "pk")
        previous: dict[int, Any] = {}
        last: dict[Any, Any] = {}
        for version in versions:
            previous[version.pk] = last.get(version.id)
            last[version.id] = version
        found.extend((model, row, previous.get(row.pk)) for row in rows)

    # The names of what the changed fields point to, one query per model named.
    wanted: dict[Any, set] = {}
    for model, row, before in found:
        for f in _fields(model):
            if isinstance(f, models.ForeignKey):
                for version in (row, before):
                    if version is not None and getattr(version, f.attname) is not None:
                        wanted.setdefault(f.related_model, set()).add(getattr(version, f.attname))
        if model is StatusUpdate:
            wanted.setdefault(Commitment, set()).add(row.commitment_id)
    names: dict = {}
    for related, ids in wanted.items():
        for obj in related.objects.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)

    entries = []
    for model, row, before in found:
        subject, url = _subject_and_url(model, row, names)
        entry = Correction(
            when=row.history_date,
            what=_kind(model),
            subject=subject,
            url=url,
            reason=row.history_change_reason,
            deleted=row.history_type == "-",
            anchor=f"correction-{model._meta.model_name}-{row.pk}",
        )
        if before is not None and not entry.deleted:
            for f in _fields(model):
                old, new = getattr(before, f.attname), getattr(row, f.attname)
                if old != new:
                    entry.changes.append(
                        Change(gettext(str(f.verbose_name).capitalize()), _words(f, old, names), _words(f, new, names))
                    )
        entries.append(entry)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit] if limit else entries
