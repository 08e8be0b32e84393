import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, Value, When
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from tracker import services
from tracker.clock import today
from tracker.forms import (
    REASON_FIELD,
    ActorForm,
    CommitmentForm,
    PeriodField,
    QuoteForm,
    ReadingForm,
    SourceForm,
    StatusUpdateForm,
)
from tracker.models import (
    REVISABLE,
    STATE_COLUMNS,
    TITLE_COLUMNS,
    Actor,
    Commitment,
    CommitmentLink,
    Quote,
    Reading,
    ReviewCheck,
    Source,
    StatusUpdate,
    needs_review_condition,
)
from tracker.resources import ADMIN_IMPORT_MAX_ROWS, CommitmentResource, StatusUpdateResource


def rank_matches(queryset, search_term: str, field: str):
    """Matches in `field` (a title, a name) first, then the others (found in a summary, a role…), each by `field`."""
    if not search_term.strip():
        return queryset
    rank = Case(When(**{f"{field}__icontains": search_term.strip()}, then=Value(0)), default=Value(1))
    return queryset.annotate(search_rank=rank).order_by("search_rank", field)


admin.site.site_header = "Japan–US commitments tracker: editors"
admin.site.site_title = "Tracker admin"
admin.site.index_title = "Data entry"


class SafeDateDrillDown:
    """A date drill-down value that is not a plain date part (`?happened_on__year=99999999`, `²`) is refused as an
    incorrect lookup (the list shows again, unfiltered, with Django's "?e=1" note) instead of overflowing into a 500."""

    LIMITS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}

    def get_changelist_instance(self, request):
        if self.date_hierarchy:
            for part, (low, high) in self.LIMITS.items():
                for raw in request.GET.getlist(f"{self.date_hierarchy}__{part}"):
                    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4 and low <= int(raw) <= high):
                        raise IncorrectLookupParameters(f"Not a {part}: {raw[:20]!r}")
        return super().get_changelist_instance(request)


class SafeAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete, refusing (403) a `field_name` that names a reverse relation (`?model_name=quote&
    field_name=commitments` reaches Quote.commitments' reverse side), which Django's own view turns into a 500."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if not hasattr(source_field, "get_limit_choices_to"):
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name


class RankedAutocompleteView(SafeAutocompleteJsonView):
    """Autocompletes that say which commitment is which: its slug and status beside its title."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Commitment):
            result["text"] = f"{obj.title} ({obj.slug}, {obj.get_status_display().lower()})"
        return result


class _KeepValidChoices:
    """An autocomplete widget that shows only submitted values its model's key accepts: Django's own one looks up
    whatever was posted (`represents=:`) while re-displaying a refused form, and a non-number id is then a 500.

    `known` (str(pk) → object), set per request by `BoundedInline`, labels the chosen value without a query: Django's
    widget runs one query per form, which on a commitment's page was one per event, quote and reading."""

    known: dict[str, Any] | None = None

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        valid = []
        for item in value:
            try:
                prepared = key.get_prep_value(key.to_python(item))
            except (ValidationError, ValueError, TypeError, OverflowError):
                continue
            if isinstance(prepared, int) and not -(2**63) <= prepared < 2**63:
                continue  # beyond any id: SQLite's driver overflows on it
            valid.append(item)
        chosen = [str(item) for item in valid if str(item) not in self.choices.field.empty_values]
        if self.known is not None and not self.allow_multiple_selected and all(key in self.known for key in chosen):
            return _known_optgroups(self, name, chosen, self.known)
        return super().optgroups(name, valid, attr)


def _known_optgroups(widget: Any, name: str, chosen: list[str], known: dict[str, Any]):
    """What Django's AutocompleteMixin.optgroups gives for one chosen value, from `known`."""
    options = []
    if not widget.is_required:
        options.append(widget.create_option(name, "", "", False, 0))
    for index, key in enumerate(chosen[:1], start=len(options)):
        label = widget.choices.field.label_from_instance(known[key])
        options.append(widget.create_option(name, known[key].pk, label, set(chosen), index))
    return [(None, options, 0)]


class SafeAutocompleteSelect(_KeepValidChoices, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KeepValidChoices, AutocompleteSelectMultiple):
    pass


def _beyond_any_id(value) -> bool:
    text = str(value).strip()
    return bool(re.fullmatch(r"-?[0-9]+", text, re.ASCII)) and not -(2**63) <= int(text) < 2**63


class SafeModelChoiceField(forms.ModelChoiceField):
    """An id beyond 64 bits is an invalid choice (SQLite's driver would raise OverflowError on it: a 500)."""

    def to_python(self, value):
        if _beyond_any_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value or ():
            if _beyond_any_id(item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(item)[:40]}
                )
        return super()._check_values(value)


class SafeAutocompleteFields:
    """For every admin and inline: relation fields and autocomplete widgets that survive any submitted value."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", SafeModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AtomicRevert:
    """History → Revert saves through the same form as a change, whose conflict check locks the row
    (select_for_update): that needs a transaction, which django-simple-history's view does not open."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


class BoundedImport:
    """Imports through the admin stop at ADMIN_IMPORT_MAX_ROWS rows, refused with a clear message (resources.py)."""

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), "max_rows": ADMIN_IMPORT_MAX_ROWS}


def _safe_autocomplete_view(request):
    return RankedAutocompleteView.as_view(admin_site=admin.site)(request)


# The admin site's URLs name `self.autocomplete_view`: this one is used once urls.py builds them.
setattr(admin.site, "autocomplete_view", _safe_autocomplete_view)  # noqa: B010


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
class ActorAdmin(SafeAutocompleteFields, AtomicRevert, CorrectionAdmin):
    form = ActorForm
    list_display = ("name", "name_ja", "kind", "country", "role", "represents")
    list_filter = ("kind", "country")
    search_fields = ("name", "role", "name_ja", "role_ja")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("represents",)
    # Each English field beside the editors' Japanese of it.
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("name", "name_ja"),
                    "slug",
                    "kind",
                    "country",
                    ("role", "role_ja"),
                    "represents",
                    "loaded_revision",
                )
            },
        ),
    )

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return rank_matches(queryset, search_term, "name"), duplicates


@admin.register(Source)
class SourceAdmin(SafeAutocompleteFields, AtomicRevert, CorrectionAdmin):
    form = SourceForm
    list_display = ("display_title", "kind", "publisher", "published_display", "seed_file")
    list_filter = ("kind", "published_precision")
    search_fields = ("title", "description", "publisher", "author", "text")
    readonly_fields = ("text_sha256",)
    fieldsets = (
        (None, {"fields": ("title", "description", "kind", "language", "publisher", "author", "url")}),
        ("Publication date", {"fields": ("published_on", "published_precision", "date_note")}),
        ("Text", {"fields": ("text", "text_sha256", "seed_file", "confirm_orphaned_quotes", "loaded_revision")}),
    )

    @admin.display(description="Title")
    def display_title(self, source):
        return source.display_title

    @admin.display(description="Published")
    def published_display(self, source):
        return source.published_display


class BoundedInline:
    """An inline that stays the same size however long the record grows: at most `shown` rows on the parent's page
    (the latest by `latest_first`; the heading links to all of them), and each autocomplete's chosen value labelled
    from one query per field instead of one per row."""

    shown = 10
    latest_first: tuple[str, ...] = ("-id",)
    all_rows_url = ""  # the admin list of every row, filtered on the parent (with "{pk}")

    def rows_for(self, queryset, fk_name: str, obj):
        rows = queryset.filter(**{fk_name: obj})
        return rows.filter(pk__in=rows.order_by(*self.latest_first).values("pk")[: self.shown])

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is None or obj.pk is None:
            return formset
        # Django asks for the formset more than once per page: the labels and the count are read once per request.
        memo = request.__dict__.setdefault("_bounded_inlines", {})
        key = (type(self), obj.pk)
        if key not in memo:
            memo[key] = self._labels_and_total(request, formset, obj)
        labels, total = memo[key]
        for name, known in labels.items():
            widget = formset.form.base_fields[name].widget
            getattr(widget, "widget", widget).known = known
        if total > self.shown:
            # Per request: Django makes new inline instances for every request.
            self.verbose_name_plural = format_html(
                '{}: the latest {} of {} (<a href="{}">all {}</a>)',
                self.verbose_name_plural,
                self.shown,
                total,
                self.all_rows_url.format(pk=obj.pk),
                total,
            )
        return formset

    def _labels_and_total(self, request, formset, obj):
        every = self.get_queryset(request).filter(**{formset.fk.name: obj})
        rows = self.rows_for(every, formset.fk.name, obj)
        labels = {}
        for name in self.get_autocomplete_fields(request):
            field = formset.form.base_fields.get(name)
            if field is not None:
                labels[name] = {str(found.pk): found for found in field.queryset.filter(pk__in=rows.values(name))}
        return labels, every.count()


class QuoteInline(BoundedInline, SafeAutocompleteFields, admin.TabularInline):
    model = Quote.commitments.through
    shown = 25
    all_rows_url = "../../../quote/?commitments__id__exact={pk}"
    extra = 0
    autocomplete_fields = ("quote",)
    verbose_name = "supporting quote"
    verbose_name_plural = "supporting quotes"


MEASUREMENT_FIELDSET: Any = {
    "fields": (
        ("measured_value", "measured_unit", "measured_is_approximate"),
        ("measured_as_of", "measured_precision"),
        "measured_basis",
        "basis_changed",
        "money_stage",
    ),
    "description": "What the source measured: the value and its unit (empty: the commitment's unit), the period "
    "measured (its first day and precision: 2025-04-01 with “Japanese fiscal year” is fiscal 2025), what is counted, "
    "and whether it is counted differently from the measurement before it. Money has a stage: announced, committed "
    "or disbursed. The latest measurement is the one whose period ends last.",
}


UPDATE_FIELDSETS: Any = (
    (None, {"fields": (("happened_on", "happened_precision", "date_is_report_date"), "source", "quote", "note")}),
    (
        "What changed (the old values follow from the earlier updates)",
        {"fields": tuple((*revisable.old_fields, *revisable.new_fields) for revisable in REVISABLE)},
    ),
    ("Progress measurement", MEASUREMENT_FIELDSET),
)


class StatusUpdateInline(BoundedInline, SafeAutocompleteFields, admin.StackedInline):
    model = StatusUpdate
    # The latest event only (each is a form of 30 fields, 20–38 KB of Django's admin HTML, and "add another" copies
    # one more): older ones are edited from the list of updates (linked from the heading) or on their own page. Three
    # made a long record's page 188 KB.
    shown = 1
    latest_first = ("-happened_on", "-id")
    all_rows_url = "../../../statusupdate/?commitment__id__exact={pk}"
    form = StatusUpdateForm
    extra = 0
    autocomplete_fields = ("source", "quote")
    readonly_fields = OLD_FIELDS
    ordering = ("happened_on", "id")
    # An edit of a recorded event is a correction: it asks for a reason (not shown folded away).
    reason_fieldset: Any = ("Correction (an edit of a recorded event)", {"fields": (REASON_FIELD,)})
    fieldsets = (*UPDATE_FIELDSETS, reason_fieldset)

    def get_fieldsets(self, request, obj=None):
        """On a commitment's page the updates' details fold away (a long record was 12,000 px of inputs): each
        update shows its date, source, quote and note, and opens on a click (or by itself when it has an error)."""
        return [
            (name, {**options, "classes": ("collapse",)}) if name else (name, options)
            for name, options in UPDATE_FIELDSETS
        ] + [self.reason_fieldset]


class ReadingInline(BoundedInline, SafeAutocompleteFields, admin.StackedInline):
    model = Reading
    all_rows_url = "../../../reading/?commitment__id__exact={pk}"
    extra = 0
    autocomplete_fields = ("party", "quote")
    verbose_name = "reading by one side"
    verbose_name_plural = "each side's reading (shown side by side: “What Washington says / What Tokyo says”)"

    def get_queryset(self, request):
        # A reading's name on its form ("<party>: …") reads its party: with it, not one query per reading.
        return super().get_queryset(request).select_related("party")


class ReviewCheckInline(BoundedInline, SafeAutocompleteFields, admin.TabularInline):
    model = ReviewCheck
    latest_first = ("-checked_on", "-id")
    all_rows_url = "../../../reviewcheck/?commitment__id__exact={pk}"
    extra = 0
    autocomplete_fields = ("source",)
    verbose_name = "review check (“checked, nothing new”)"
    verbose_name_plural = "review checks (“checked, nothing new”)"


class BoundedRelatedFilter(admin.RelatedFieldListFilter):
    """A sidebar filter on a relation that lists its choices while they are few (up to `LIMIT`). Beyond, a list of
    5,000 sources or 250 actors made the page weigh 100–700 KB: only the value in use is shown (reached by a link or
    the URL), and the list's search box finds the rest (it searches the related names)."""

    LIMIT = 30

    def field_choices(self, field, request, model_admin):
        related = field.related_model._default_manager
        if related.count() <= self.LIMIT:
            return super().field_choices(field, request, model_admin)
        chosen = [value for value in self.lookup_val or () if str(value).isdigit()]
        return [(found.pk, str(found)) for found in related.filter(pk__in=chosen)] if chosen else []

    def has_output(self):
        # Django applies only the filters it shows: one listing only the value in use must still be applied.
        return bool(self.lookup_val) or super().has_output()


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("needs_review", "Needs review"), ("fine", "Recently sourced or checked")]

    def queryset(self, request, queryset):
        if self.value() not in ("needs_review", "fine"):
            return queryset
        condition = needs_review_condition(today())
        queryset = queryset.as_of(None)
        return queryset.filter(condition) if self.value() == "needs_review" else queryset.exclude(condition)


class LinkInline(BoundedInline, SafeAutocompleteFields, admin.TabularInline):
    model = CommitmentLink
    shown = 25
    all_rows_url = "../../../commitmentlink/?from_commitment__id__exact={pk}"
    fk_name = "from_commitment"
    extra = 0
    autocomplete_fields = ("to_commitment",)
    verbose_name = "related commitment"
    verbose_name_plural = "related commitments"


# Blank lines and indentation: a third of the admin's HTML (its templates are indented for people). Not within a
# textarea or a <pre>, whose text is shown as it is.
_KEPT_AS_IS = re.compile(r"(<textarea\b.*?</textarea>|<pre\b.*?</pre>)", re.DOTALL)
_BLANK_RUN = re.compile(r"\n\s+")


def _without_blank_lines(response) -> None:
    """The page with every run of blank lines and indentation made one line break, which renders as the same space
    (between attributes, between tags, in text); a textarea's value and a <pre> keep theirs."""
    parts = _KEPT_AS_IS.split(response.content.decode(response.charset))
    response.content = "".join(part if index % 2 else _BLANK_RUN.sub("\n", part) for index, part in enumerate(parts))


@admin.register(Commitment)
class CommitmentAdmin(SafeAutocompleteFields, BoundedImport, ImportExportMixin, CorrectionAdmin):
    form = CommitmentForm
    # Dates typed as periods in words ("fiscal 2027", "March 2026"): CommitmentForm sets their precision.
    formfield_overrides = {models.DateField: {"form_class": PeriodField}}
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
    list_filter = (
        NeedsReviewFilter,
        "kind",
        "nature",
        "status",
        "formality",
        "is_reported",
        ("pledged_by", BoundedRelatedFilter),
        "deadline_precision",
    )
    search_fields = ("title", "summary", "slug", "title_ja", "summary_ja")
    list_select_related = ("pledged_by", "pledged_to")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("pledged_by", "pledged_to")
    inlines = (QuoteInline, StatusUpdateInline, LinkInline, ReadingInline, ReviewCheckInline)
    fieldsets = (
        (
            None,
            {
                # Each English field beside the editors' Japanese of it.
                "fields": (
                    ("title", "title_ja"),
                    "slug",
                    ("summary", "summary_ja"),
                    "kind",
                    "nature",
                    ("pledged_by", "pledged_to"),
                    "is_reported",
                    ("note", "note_ja"),
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
        (
            "Dates and legal basis",
            {
                "fields": (
                    ("deadline", "deadline_precision"),
                    "lapses_on",
                    ("announced_on", "announced_precision"),
                    "instrument",
                ),
                "description": "A deadline is when something is due; “valid until” is when a measure lapses unless "
                "renewed (a tariff limited to 150 days): lapsing is never a missed deadline. The legal basis, like "
                "the status, changes through a status update once the commitment exists.",
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_update().order_by("title")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if hasattr(response, "add_post_render_callback"):  # a page to render (not a redirect after saving)
            response.add_post_render_callback(_without_blank_lines)
        return response

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """Each bounded inline's rows: its latest few (see BoundedInline)."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BoundedInline) and obj is not None and obj.pk is not None:
            fk_name = "commitment" if inline.model is not CommitmentLink else "from_commitment"
            kwargs["queryset"] = inline.rows_for(kwargs["queryset"], fk_name, obj)
        return kwargs

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return rank_matches(queryset, search_term, "title"), duplicates

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
        derived = [column for column in STATE_COLUMNS if column not in TITLE_COLUMNS]
        return (*derived, *TITLE_COLUMNS) if services.has_renamings(obj) else tuple(derived)

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
class QuoteAdmin(SafeAutocompleteFields, AtomicRevert, CorrectionAdmin):
    form = QuoteForm
    list_display = ("__str__", "speaker", "according_to", "source", "said_display", "is_verified")
    list_filter = (
        ("source", BoundedRelatedFilter),
        ("speaker", BoundedRelatedFilter),
        ("according_to", BoundedRelatedFilter),
    )
    search_fields = ("text", "translation", "speaker__name", "source__title")
    list_select_related = ("speaker", "according_to", "source")
    autocomplete_fields = ("source", "speaker", "according_to", "commitments")

    def get_search_results(self, request, queryset, search_term):
        """An update's quote is one of its source's: once the update has a source, its autocomplete offers only that
        source's quotes (static/tracker/admin-widgets.js sends it as `source`)."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        source = request.GET.get("source", "")
        for_an_update = request.GET.get("model_name") == "statusupdate" and request.GET.get("field_name") == "quote"
        if for_an_update and source.isdigit():
            queryset = queryset.filter(source_id=int(source))
        return queryset, duplicates

    @admin.display(boolean=True, description="Found in source")
    def is_verified(self, quote):
        return quote.is_verified

    @admin.display(description="Said")
    def said_display(self, quote):
        return quote.said_display


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SafeAutocompleteFields, SafeDateDrillDown, BoundedImport, ImportExportMixin, CorrectionAdmin):
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
    fieldsets = ((None, {"fields": ("commitment",)}), *UPDATE_FIELDSETS)

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
class CommitmentLinkAdmin(SafeAutocompleteFields, SimpleHistoryAdmin):
    list_display = ("from_commitment", "relation", "to_commitment")
    list_filter = ("relation",)
    autocomplete_fields = ("from_commitment", "to_commitment")
    list_select_related = ("from_commitment", "to_commitment")


@admin.register(Reading)
class ReadingAdmin(SafeAutocompleteFields, AtomicRevert, CorrectionAdmin):
    form = ReadingForm
    list_display = ("commitment", "party", "description")
    list_select_related = ("commitment", "party")
    autocomplete_fields = ("commitment", "party", "quote")
    search_fields = ("description", "commitment__title", "party__name")


@admin.register(ReviewCheck)
class ReviewCheckAdmin(SafeAutocompleteFields, SimpleHistoryAdmin):
    """The review queue's answer: “checked, nothing new”, with a note or a source."""

    list_display = ("commitment", "checked_on", "note", "source", "checked_by")
    list_select_related = ("commitment", "source", "checked_by")
    autocomplete_fields = ("commitment", "source")
    search_fields = ("note", "commitment__title")

    def get_changeform_initial_data(self, request):
        return {"checked_on": today(), **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.checked_by = request.user
        super().save_model(request, obj, form, change)
