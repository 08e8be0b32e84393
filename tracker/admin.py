from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from tracker import services
from tracker.clock import today
from tracker.forms import REASON_FIELD, ActorForm, CommitmentForm, QuoteForm, SourceForm, StatusUpdateForm
from tracker.models import REVISABLE, STATE_COLUMNS, Actor, Commitment, CommitmentLink, Quote, Source, StatusUpdate
from tracker.resources import CommitmentResource, StatusUpdateResource

admin.site.site_header = "Japan–US commitments tracker: editors"
admin.site.site_title = "Tracker admin"
admin.site.index_title = "Data entry"

# The old side of each old → new: derived by replaying the events, shown, never typed.
OLD_FIELDS = tuple(name for revisable in REVISABLE for name in revisable.old_fields)


def _tell_what_moved(request, rederived, *, leave_out=None) -> None:
    """An event recorded, edited or deleted replays its commitment's history: say what that changed elsewhere."""
    for line in rederived.summary(leave_out=leave_out):
        messages.info(request, line)


class CorrectionAdmin(SimpleHistoryAdmin):
    """Changing a published record asks for a reason (tracker.forms.CorrectionReasonMixin); adding one does not."""

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != REASON_FIELD]
        return fields  # the reason gets a fieldset of its own (get_fieldsets)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != REASON_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None:
            fieldsets.append(("Correction", {"fields": [REASON_FIELD]}))
        return fieldsets


@admin.register(Actor)
class ActorAdmin(CorrectionAdmin):
    form = ActorForm
    list_display = ("name", "kind", "country", "role", "represents")
    list_filter = ("kind", "country")
    search_fields = ("name", "role")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("represents",)


@admin.register(Source)
class SourceAdmin(CorrectionAdmin):
    form = SourceForm
    list_display = ("display_title", "kind", "publisher", "published_display", "seed_file")
    list_filter = ("kind", "published_precision")
    search_fields = ("title", "description", "publisher", "author", "text")
    readonly_fields = ("text_sha256",)
    fieldsets = (
        (None, {"fields": ("title", "description", "kind", "publisher", "author", "url")}),
        ("Publication date", {"fields": ("published_on", "published_precision", "date_note")}),
        ("Text", {"fields": ("text", "text_sha256", "seed_file")}),
    )

    @admin.display(description="Title")
    def display_title(self, source):
        return source.display_title

    @admin.display(description="Published")
    def published_display(self, source):
        return source.published_display


class QuoteInline(admin.TabularInline):
    model = Quote.commitments.through
    extra = 0
    autocomplete_fields = ("quote",)
    verbose_name = "supporting quote"
    verbose_name_plural = "supporting quotes"


class StatusUpdateInline(admin.StackedInline):
    model = StatusUpdate
    form = StatusUpdateForm
    extra = 0
    autocomplete_fields = ("source", "quote")
    readonly_fields = OLD_FIELDS
    ordering = ("happened_on", "id")
    fieldsets = (
        (None, {"fields": (("happened_on", "happened_precision", "date_is_report_date"), "source", "quote", "note")}),
        (
            "What changed (the old values follow from the earlier updates)",
            {"fields": tuple((*revisable.old_fields, *revisable.new_fields) for revisable in REVISABLE)},
        ),
        ("Progress measurement", {"fields": (("measured_value", "measured_as_of", "measured_precision"),)}),
        ("Correction (an edit of a recorded event)", {"fields": (REASON_FIELD,)}),
    )


class LinkInline(admin.TabularInline):
    model = CommitmentLink
    fk_name = "from_commitment"
    extra = 0
    autocomplete_fields = ("to_commitment",)
    verbose_name = "related commitment"
    verbose_name_plural = "related commitments"


@admin.register(Commitment)
class CommitmentAdmin(ImportExportMixin, CorrectionAdmin):
    form = CommitmentForm
    resource_classes = [CommitmentResource]
    list_display = (
        "title",
        "kind",
        "status",
        "formality",
        "pledged_by",
        "pledged_to",
        "deadline_display",
        "last_update",
    )
    list_filter = ("kind", "nature", "status", "formality", "is_reported", "pledged_by", "deadline_precision")
    search_fields = ("title", "summary", "slug")
    list_select_related = ("pledged_by", "pledged_to")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("pledged_by", "pledged_to")
    inlines = (QuoteInline, StatusUpdateInline, LinkInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "summary",
                    "kind",
                    "nature",
                    ("pledged_by", "pledged_to"),
                    "is_reported",
                    "note",
                    "loaded_revision",
                )
            },
        ),
        (
            "Current state",
            {
                "fields": ("status", "formality"),
                "description": "After the commitment is created, change these by recording a status update below.",
            },
        ),
        (
            "Measure",
            {
                "fields": (
                    ("unit", "unit_label"),
                    ("target_qualifier", "target_value"),
                    ("baseline_value", "baseline_is_approximate"),
                    ("baseline_as_of", "baseline_as_of_precision"),
                )
            },
        ),
        ("Dates", {"fields": (("deadline", "deadline_precision"), ("announced_on", "announced_precision"))}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_update().order_by("title")

    @admin.display(description="Deadline", ordering="deadline")
    def deadline_display(self, commitment):
        day = today()
        if commitment.is_overdue(day):
            return format_html(
                '{} <strong class="errornote-inline">OVERDUE: {}</strong>',
                commitment.deadline_display,
                commitment.deadline_countdown(day),
            )
        return commitment.deadline_display

    @admin.display(description="Last update", ordering="last_update_on")
    def last_update(self, commitment):
        return commitment.last_update_on

    def get_readonly_fields(self, request, obj=None):
        """Once a commitment exists its state follows from its events; so does its title once an event renamed it."""
        if obj is None:
            return ()
        derived = [column for column in STATE_COLUMNS if column != "title"]
        return (*derived, "title") if services.has_renamings(obj) else tuple(derived)

    def save_model(self, request, obj, form, change):
        services.save_commitment(obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert saves like the change form: in one transaction, the row locked (CommitmentForm.clean).
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatusUpdate:
            return super().save_formset(request, form, formset, change)
        updates = formset.save(commit=False)
        rederived = None
        for deleted in formset.deleted_objects:
            rederived = services.delete_update(deleted)
        for update in sorted(updates, key=lambda update: (update.happened_on, update.pk or 0)):
            rederived = services.record_update(update).rederived
        formset.save_m2m()
        if rederived is not None:
            _tell_what_moved(request, rederived)


@admin.register(Quote)
class QuoteAdmin(CorrectionAdmin):
    form = QuoteForm
    list_display = ("__str__", "speaker", "according_to", "source", "said_display", "is_verified")
    list_filter = ("source", "speaker", "according_to")
    search_fields = ("text", "speaker__name", "source__title")
    list_select_related = ("speaker", "according_to", "source")
    autocomplete_fields = ("source", "speaker", "according_to", "commitments")

    @admin.display(boolean=True, description="Found in source")
    def is_verified(self, quote):
        return quote.is_verified

    @admin.display(description="Said")
    def said_display(self, quote):
        return quote.said_display


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ImportExportMixin, CorrectionAdmin):
    form = StatusUpdateForm
    resource_classes = [StatusUpdateResource]
    actions = None  # no bulk delete: each deletion replays its commitment's history, and says what that changed
    list_display = ("commitment", "happened_display", "new_status", "source")
    list_filter = ("new_status", "happened_precision", "commitment__kind")
    search_fields = ("note", "commitment__title")
    list_select_related = ("commitment", "source")
    autocomplete_fields = ("commitment", "source", "quote")
    readonly_fields = StatusUpdateInline.readonly_fields
    date_hierarchy = "happened_on"

    @admin.display(description="Date", ordering="happened_on")
    def happened_display(self, update):
        return update.happened_display

    def save_model(self, request, obj, form, change):
        _tell_what_moved(request, services.record_update(obj).rederived, leave_out=obj.pk)

    def delete_model(self, request, obj):
        _tell_what_moved(request, services.delete_update(obj))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting an event is recording it again: the history replays, in one transaction.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(CommitmentLink)
class CommitmentLinkAdmin(SimpleHistoryAdmin):
    list_display = ("from_commitment", "relation", "to_commitment")
    list_filter = ("relation",)
    autocomplete_fields = ("from_commitment", "to_commitment")
    list_select_related = ("from_commitment", "to_commitment")
