"""Admin forms: the rules that keep editors from losing data or slipping in an unsourced claim."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError

from tracker.dates import DatePrecision, parse_period
from tracker.models import Actor, Commitment, Language, Quote, Reading, Source, StatusUpdate, normalise_text
from tracker.text import nearest_passage

# The longest source text the admin takes, in characters (the request itself may be up to
# DATA_UPLOAD_MAX_MEMORY_SIZE, 10 MB, so a longer paste arrives whole and is refused with the text kept).
SOURCE_TEXT_MAX_CHARS = 2_000_000


REASON_FIELD = "change_reason"


class CorrectionReasonMixin(forms.Form):
    """An edit of something already published is a correction: it asks why, and the reason goes with the change into
    the audit history (simple-history's `history_change_reason`) and from there to the public corrections log.

    A new record (a commitment, a quote, a new event) needs none: it is a new development, not a correction.
    """

    change_reason = forms.CharField(
        label="Reason for this correction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you change something already published: what was wrong and how you know. "
        "It is published, with the change, in the public corrections log.",
    )

    def clean(self):
        cleaned = super().clean()
        instance = getattr(self, "instance", None)
        edited = [
            name
            for name in self.changed_data
            if name not in (REASON_FIELD, "loaded_revision", "confirm_orphaned_quotes")
        ]
        if instance is not None and instance.pk is not None and edited and not cleaned.get(REASON_FIELD, "").strip():
            self.add_error(
                REASON_FIELD, "Say why you are correcting this: the reason is published in the corrections log."
            )
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # ModelForm's, next in the MRO
        reason = self.cleaned_data.get(REASON_FIELD, "").strip() if hasattr(self, "cleaned_data") else ""
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None and reason:
            instance._change_reason = reason  # read by simple-history when it records the save


class PeriodDay(datetime.date):
    """The first day of a period typed in words ("fiscal 2025"), carrying the period's precision."""

    precision: DatePrecision


class PeriodField(forms.DateField):
    """A date, or a period in words: "fiscal 2025", "FY2025", "March 2026", "Q3 2026", "2026". Words set the
    precision beside the field (StatusUpdateForm.clean)."""

    widget = AdminDateWidget

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            period = parse_period(value)
            if period is not None:
                day = PeriodDay(period[0].year, period[0].month, period[0].day)
                day.precision = period[1]
                return day
        return super().to_python(value)


class PeriodsMixin:
    """A form whose date fields take periods in words (PeriodField): the words set the precision beside each, and
    a deadline is stored as its period's last day. PERIODS: (date field, its precision field, is a deadline)."""

    PERIODS: tuple[tuple[str, str, bool], ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name, precision_name, is_deadline in self.PERIODS:
            value = cleaned.get(name)
            if isinstance(value, PeriodDay):
                start = datetime.date(value.year, value.month, value.day)
                cleaned[name] = value.precision.period(start)[1] if is_deadline else start
                cleaned[precision_name] = value.precision.value
                self.errors.pop(precision_name, None)
        return cleaned


PERIOD_HELP = "A date (YYYY-MM-DD) with its precision, or the period in words: “fiscal 2025”, “March 2026”, “Q3 2026”."


class ConflictCheckedForm(forms.ModelForm):
    """Refuses to save over changes someone else saved since this form was loaded (the model's `revision`)."""

    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    conflict_message = (
        "Someone else saved this {name} after you opened this page. Your changes were not saved: open it again to "
        "see theirs, then redo yours."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # From the database, not the instance: a revert form's instance is an old version with an old revision.
        if self.instance.pk is not None:
            model = type(self.instance)
            current = model.objects.filter(pk=self.instance.pk).values_list("revision", flat=True).first()
            self.fields["loaded_revision"].initial = current

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        # Locked until the admin's transaction ends, so nobody saves between this check and our save.
        current = model.objects.select_for_update().filter(pk=self.instance.pk).values_list("revision", flat=True)
        if cleaned.get("loaded_revision") is None or current.first() != cleaned.get("loaded_revision"):
            raise ValidationError(self.conflict_message.format(name=model._meta.verbose_name), code="conflict")
        return cleaned


class ActorForm(CorrectionReasonMixin, ConflictCheckedForm):
    class Meta:
        model = Actor
        fields = "__all__"  # noqa: DJ007 — every field, as the admin showed before this form


class SourceForm(CorrectionReasonMixin, ConflictCheckedForm):
    # Pasted text is kept as pasted: no stripping. Only the browser's CRLF line breaks become LF.
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24}),
        strip=False,
        help_text=Source._meta.get_field("text").help_text,
        max_length=SOURCE_TEXT_MAX_CHARS,
        error_messages={
            "max_length": (
                f"This text is too long: at most {SOURCE_TEXT_MAX_CHARS:,} characters "
                "(it has %(show_value)s). Nothing was saved; your text is still below."
            )
        },
    )
    # Not required: a form posted without it (an older page, a script) keeps the source's language, English if new.
    language = forms.ChoiceField(
        choices=Language.choices,
        required=False,
        initial=Language.ENGLISH,
        help_text=Source._meta.get_field("language").help_text,
    )
    confirm_orphaned_quotes = forms.BooleanField(
        required=False,
        label="Save even though quotes would no longer be found",
        help_text="Only if you meant the text to change so: the quotes named above will show as not found.",
    )

    class Meta:
        model = Source
        fields = "__all__"

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or Language.ENGLISH

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if not text.strip():
            raise ValidationError("Paste the document's full text.")
        return text

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text")
        if self.instance.pk is None or text is None or "text" not in self.changed_data:
            return cleaned
        new = normalise_text(text)
        old = normalise_text(Source.objects.filter(pk=self.instance.pk).values_list("text", flat=True).first() or "")
        orphaned = [
            quote
            for quote in Quote.objects.filter(source=self.instance.pk).order_by("id")
            if normalise_text(quote.text) in old and normalise_text(quote.text) not in new
        ]
        if orphaned and not cleaned.get("confirm_orphaned_quotes"):
            named = "; ".join(f"#{quote.pk} “{quote}”" for quote in orphaned[:10])
            more = f" and {len(orphaned) - 10} more" if len(orphaned) > 10 else ""
            raise ValidationError(
                f"With this text, {len(orphaned)} quote(s) of this source would no longer be found in it: "
                f"{named}{more}. Fix the text, or tick “Save even though quotes would no longer be found”.",
                code="orphaned_quotes",
            )
        return cleaned


class CommitmentForm(CorrectionReasonMixin, PeriodsMixin, forms.ModelForm):
    """Refuses to save over changes someone else saved since this form was loaded. Its dates take periods in words
    (the admin makes them PeriodFields): "fiscal 2027" as a deadline is 2028-03-31, to the fiscal year."""

    PERIODS = (
        ("deadline", "deadline_precision", True),
        ("announced_on", "announced_precision", False),
        ("baseline_as_of", "baseline_as_of_precision", False),
    )

    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # From the database, not the instance: a revert form's instance is an old version with an old revision.
        if self.instance.pk is not None:
            current = Commitment.objects.filter(pk=self.instance.pk).values_list("revision", flat=True).first()
            self.fields["loaded_revision"].initial = current

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        loaded = cleaned.get("loaded_revision")
        # Locked until the admin's transaction ends, so nobody saves between this check and our save.
        current = (
            Commitment.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("revision", flat=True)
            .first()
        )
        if loaded is None or current != loaded:
            raise ValidationError(
                "Someone else saved this commitment (or recorded an update for it) after you opened this page. "
                "Your changes were not saved: open the commitment again to see theirs, then redo yours.",
                code="conflict",
            )
        return cleaned


_SCALES = {
    "": 1,
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "t": 10**12,
    "tn": 10**12,
    "trillion": 10**12,
}
_AMOUNT = re.compile(r"^[$¥]?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([a-z]*)\s*%?$")


def parse_amount(text: str) -> Decimal:
    """An amount as editors type it: "36 billion", "36bn", "$36,000,000,000", "¥9.9 trillion", "1.8%"."""
    match = _AMOUNT.match(text.strip().lower())
    if not match or match.group(2) not in _SCALES:
        raise ValidationError('Write a number, e.g. "2", "36 billion", "36bn" or "$36,000,000,000".')
    try:
        return Decimal(match.group(1).replace(",", "")) * _SCALES[match.group(2)]
    except InvalidOperation as error:
        raise ValidationError("Write a number.") from error


class AmountField(forms.CharField):
    """A value with words for its size: "36 billion" is 36000000000. The unit is shown beside it (help text)."""

    def to_python(self, value):
        value = super().to_python(value)
        return None if value in ("", None) else parse_amount(value)

    def prepare_value(self, value):
        return format(value.normalize(), "f") if isinstance(value, Decimal) else value


class StatusUpdateForm(CorrectionReasonMixin, PeriodsMixin, forms.ModelForm):
    """An event, as its source tells it: any date (news found late goes in its place), the new values only. The old
    values and the commitment's state are replayed from the events when it is saved (tracker.services)."""

    measured_value = AmountField(
        required=False,
        help_text="In the unit below, or the commitment's: “2” (% of GDP), “36 billion”, “36bn”, “$36,000,000,000”.",
    )
    new_target_value = AmountField(
        required=False, help_text="In the commitment's unit: “2” (% of GDP), “550 billion”, “550bn”."
    )
    happened_on = PeriodField(help_text=f"The first day of the period it happened in. {PERIOD_HELP}")
    measured_as_of = PeriodField(required=False, help_text=f"The period measured. {PERIOD_HELP}")
    new_deadline = PeriodField(
        required=False, help_text=f"{PERIOD_HELP} Stored as the last day of the period (“by March 2026”: 2026-03-31)."
    )
    # (date field, its precision, stored as the period's last day)
    PERIODS = (
        ("happened_on", "happened_precision", False),
        ("measured_as_of", "measured_precision", False),
        ("new_deadline", "new_deadline_precision", True),
    )

    class Meta:
        model = StatusUpdate
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commitment = self.instance.commitment if self.instance.commitment_id else None
        if commitment is not None:
            unit = commitment.get_unit_display()
            for name in ("measured_value", "new_target_value"):
                if name in self.fields:
                    self.fields[name].help_text = f"Unit: {unit}. " + str(self.fields[name].help_text)


class ReadingForm(CorrectionReasonMixin, forms.ModelForm):
    """A side's reading of a commitment: changing a published one is a correction, with its reason."""

    class Meta:
        model = Reading
        fields = "__all__"  # noqa: DJ007 — every field, as the admin showed before this form


class QuoteForm(CorrectionReasonMixin, ConflictCheckedForm):
    """Refuses a quote that is not in its source's stored text, and shows the nearest passage to copy from."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text=Quote._meta.get_field("text").help_text)

    class Meta:
        model = Quote
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        quote = self.instance
        if "text" in self.errors and quote.source_id and quote.text:
            nearest = nearest_passage(quote.text, quote.source.text)
            if nearest:
                self.add_error("text", f"Nearest passage in the source: “{nearest}”")
