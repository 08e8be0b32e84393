"""Admin forms: the rules that keep editors from losing data or slipping in an unsourced claim."""

from django import forms
from django.core.exceptions import ValidationError

from tracker.models import Actor, Commitment, Quote, Source, StatusUpdate, normalise_text
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
    confirm_orphaned_quotes = forms.BooleanField(
        required=False,
        label="Save even though quotes would no longer be found",
        help_text="Only if you meant the text to change so: the quotes named above will show as not found.",
    )

    class Meta:
        model = Source
        fields = "__all__"

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


class CommitmentForm(CorrectionReasonMixin, forms.ModelForm):
    """Refuses to save over changes someone else saved since this form was loaded."""

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


class StatusUpdateForm(CorrectionReasonMixin, forms.ModelForm):
    """An event, as its source tells it: any date (news found late goes in its place), the new values only. The old
    values and the commitment's state are replayed from the events when it is saved (tracker.services)."""

    class Meta:
        model = StatusUpdate
        fields = "__all__"


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
