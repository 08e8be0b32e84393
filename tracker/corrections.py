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
        return names.get((f.related_model, value), "(deleted)")
    if isinstance(f, models.BooleanField):
        return "yes" if value else "no"
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
        title = names.get((Commitment, row.commitment_id), "a commitment")
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
                        Change(str(f.verbose_name).capitalize(), _words(f, old, names), _words(f, new, names))
                    )
        entries.append(entry)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit] if limit else entries
