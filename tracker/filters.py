"""The filter forms of the public lists: the commitments index (filters, search, sort, facet counts) and the timeline.

Invalid values are left out of `form.cleaned_data`, so they are ignored (and reported on the page), never a 500.
"""

import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from tracker.asof import DayField
from tracker.models import (
    SETTLED,
    Actor,
    Commitment,
    CommitmentKind,
    Formality,
    Source,
    SourceKind,
    Status,
    is_part_condition,
    needs_review_condition,
)
from tracker.search import search_commitments
from tracker.timeline import EVENT_TYPES
from tracker.translated import in_page_language
from tracker.widgets import FastSelect


class Window(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    NEXT_90_DAYS = "next_90_days", _("Due in the next 90 days")
    LATER = "later", _("Due later")
    PASSED_SETTLED = "passed_settled", _("Deadline passed, rated")
    NONE = "none", _("No deadline")

    def condition(self, today: datetime.date) -> Q:
        """On the deadline and status as they stood (see tracker.asof), `today` being the day looked at."""
        if self is Window.OVERDUE:
            return Q(deadline_then__lt=today) & ~Q(status_then__in=SETTLED)
        if self is Window.NEXT_90_DAYS:
            return Q(deadline_then__gte=today, deadline_then__lte=today + datetime.timedelta(days=90))
        if self is Window.LATER:
            return Q(deadline_then__gt=today + datetime.timedelta(days=90))
        if self is Window.PASSED_SETTLED:
            return Q(deadline_then__lt=today, status_then__in=SETTLED)
        return Q(deadline_then__isnull=True)


class Sort(models.TextChoices):
    DEADLINE = "deadline", _("Deadline, soonest first")
    UPDATED = "updated", _("Last update, newest first")
    TITLE = "title", _("Title, A–Z")

    def ordering(self):
        if self is Sort.UPDATED:
            return [F("last_update_on").desc(nulls_last=True), "title"]
        if self is Sort.TITLE:
            return ["title"]
        return [F("deadline_then").asc(nulls_last=True), "title"]


HAS_TARGET_CHOICES = [("yes", _("With a numeric target")), ("no", _("Without a numeric target"))]


class DayFilter(django_filters.Filter):
    """A day in the URL, parsed as every page parses it (tracker.asof.parse_day)."""

    field_class = DayField


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. defence, LNG, “golden age”")}),
    )
    kind = django_filters.ChoiceFilter(
        choices=CommitmentKind.choices, label=_("Kind"), empty_label=_("Any kind"), widget=FastSelect
    )
    # Status and formality as they stood on the day looked at: the queryset comes through Commitment.objects.as_of.
    status = django_filters.ChoiceFilter(
        field_name="status_then",
        label=_("Status"),
        choices=Status.choices,
        empty_label=_("Any status"),
        widget=FastSelect,
    )
    formality = django_filters.ChoiceFilter(
        field_name="formality_then",
        label=_("Formality"),
        choices=Formality.choices,
        empty_label=_("Any formality"),
        widget=FastSelect,
    )
    pledged_by = django_filters.ChoiceFilter(
        field_name="pledged_by__slug", label=_("Pledged by"), empty_label=_("Anyone"), widget=FastSelect
    )
    pledged_to = django_filters.ChoiceFilter(
        field_name="pledged_to__slug", label=_("Pledged to"), empty_label=_("Anyone"), widget=FastSelect
    )
    deadline = django_filters.ChoiceFilter(
        choices=Window.choices,
        method="filter_deadline",
        label=_("Deadline"),
        empty_label=_("Any deadline"),
        widget=FastSelect,
    )
    has_target = django_filters.ChoiceFilter(
        choices=HAS_TARGET_CHOICES,
        method="filter_has_target",
        label=_("Numeric target"),
        empty_label=_("Either"),
        widget=FastSelect,
    )
    level = django_filters.ChoiceFilter(
        choices=[("top", _("Top-level commitments only")), ("parts", _("Parts of other commitments only"))],
        method="filter_level",
        label=_("Parts"),
        empty_label=_("Commitments and their parts"),
        widget=FastSelect,
    )
    review = django_filters.ChoiceFilter(
        choices=[("needs_review", _("Needs review"))],
        method="filter_review",
        label=_("Review"),
        empty_label=_("Any"),
        widget=FastSelect,
    )
    sort = django_filters.ChoiceFilter(
        choices=Sort.choices,
        method="filter_noop",
        label=_("Sort by"),
        empty_label=None,
        null_label=None,
        widget=FastSelect,
    )
    # Read by the view before filtering (it changes the queryset itself); here for the form and the URL.
    as_of = DayFilter(
        method="filter_noop",
        label=_("As of"),
        help_text=_("See the tracker as it stood on a past day."),
    )

    # Facets are counted for these, each with every *other* filter applied (as Datasette does).
    FACETS = ("kind", "status", "formality", "pledged_by", "pledged_to", "deadline", "has_target")

    class Meta:
        model = Commitment
        fields: list[str] = []

    def __init__(self, data=None, *args, today: datetime.date, actors: list[tuple[str, str]], as_of=None, **kwargs):
        self.today = today
        self.as_of = as_of
        self._search_ids: dict = {}
        super().__init__(data, *args, **kwargs)
        self.filters["pledged_by"].extra["choices"] = actors
        self.filters["pledged_to"].extra["choices"] = actors

    # -- filters with their own logic -----------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        """Search once per request: the list, its count and each of the seven facets all filter on the search, and
        running it inside each of their nine queries cost more than the rest of the page at scale. The matching ids
        are read in one query, then passed to the others as one parameter (see tracker.search.InIds)."""
        if value not in self._search_ids:
            self._search_ids[value] = list(
                search_commitments(Commitment.objects.order_by(), value).values_list("pk", flat=True)
            )
        return queryset.filter(pk__in_ids=self._search_ids[value])

    def filter_deadline(self, queryset, name, value):
        return queryset.filter(Window(value).condition(self.today))

    def filter_level(self, queryset, name, value):
        return queryset.filter(is_part_condition()) if value == "parts" else queryset.exclude(is_part_condition())

    def filter_review(self, queryset, name, value):
        return queryset.filter(needs_review_condition(self.today))

    def filter_has_target(self, queryset, name, value):
        return queryset.filter(target_value_then__isnull=(value == "no"))

    def filter_noop(self, queryset, name, value):
        return queryset

    @property
    def sort_order(self) -> Sort:
        return Sort(self.form.cleaned_data.get("sort") or Sort.DEADLINE)

    @property
    def active(self) -> dict[str, str]:
        """The valid filter values that change something, as they go in a URL (the default sort does not)."""
        self.is_valid()
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.form.cleaned_data.items()
            if value not in ("", None) and not (name == "sort" and value == Sort.DEADLINE)
        }

    @property
    def ignored(self) -> list[str]:
        """Parameters given but not understood, for the message on the page."""
        return [str(self.filters[name].label or name) for name in self.form.errors]

    # -- facets ---------------------------------------------------------------------------------------------

    def queryset_without(self, excluded: str, queryset):
        for name, value in self.form.cleaned_data.items():
            if name != excluded and value not in ("", None):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def facet_base(self):
        """What the facets count: every commitment, as it stood on the day looked at."""
        return Commitment.objects.order_by().as_of(self.as_of)

    # The facets whose values are a short fixed list: counted together in one pass (`facet_counts`).
    ENUMERATED = {
        "kind": ("kind", CommitmentKind.values),
        "status": ("status_then", Status.values),
        "formality": ("formality_then", Formality.values),
    }

    def _facet_condition(self, name: str, value) -> Q:
        """The condition of one facet's filter, as a Q (what its filter does to a queryset)."""
        if name == "deadline":
            return Window(value).condition(self.today)
        if name == "has_target":
            return Q(target_value_then__isnull=(value == "no"))
        return Q(**{self.filters[name].field_name: value})

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each facet, value → how many commitments match it and every other active filter; and "total": how
        many match every filter (the list's count).

        Three queries, not eight: the other filters apply to all facets alike, so they filter the base once; each
        facet's own filter, and the value counted, go in the FILTER of a conditional count. The kind, status,
        formality, deadline and numeric-target facets and the total are one pass over the commitments; the two
        "pledged" facets (one value per actor: hundreds of them) are a GROUP BY each."""
        self.is_valid()  # the form's cleaned values, as reading `qs` would
        active = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name in self.FACETS and value not in ("", None)
        }
        base = self.facet_base()
        for name, value in self.form.cleaned_data.items():
            if name not in self.FACETS and value not in ("", None):
                base = self.filters[name].filter(base, value)

        def others(excluded: str) -> Q:
            condition = Q()
            for name, value in active.items():
                if name != excluded:
                    condition &= self._facet_condition(name, value)
            return condition

        every = others("")
        aggregates = {"total": Count("id", filter=every) if every else Count("id")}
        for name, (column, values) in self.ENUMERATED.items():
            for value in values:
                aggregates[f"{name}:{value}"] = Count("id", filter=Q(**{column: value}) & others(name))
        for window in Window:
            aggregates[f"deadline:{window.value}"] = Count(
                "id", filter=window.condition(self.today) & others("deadline")
            )
        for answer in ("yes", "no"):
            aggregates[f"has_target:{answer}"] = Count(
                "id", filter=self._facet_condition("has_target", answer) & others("has_target")
            )
        counts: dict[str, dict[str, int]] = {name: {} for name in self.FACETS}
        for key, n in base.aggregate(**aggregates).items():
            if key == "total":
                counts["total"] = {"": n}
            else:
                name, value = key.split(":", 1)
                counts[name][value] = n
        for name in ("pledged_by", "pledged_to"):
            rows = base.filter(others(name)).values(actor=F(f"{name}__slug")).annotate(n=Count("id"))
            counts[name] = {row["actor"]: row["n"] for row in rows if row["actor"]}
        return counts

    def label_choices_with_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """ "Purchase (6)" beside every value of every facet; values with no match stay, with (0).

        The field's empty choice ("Any kind") is left out here: django-filter's field puts it first by itself, and
        would otherwise list it twice.
        """
        for name in self.FACETS:
            field = self.form.fields[name]
            field.choices = [
                (value, f"{label} ({counts[name].get(value, 0)})") for value, label in field.choices if value != ""
            ]


class SourceFilter(django_filters.FilterSet):
    """The sources list's filters, in the URL like the index's: words in the headline, description, publisher or
    author (every word must appear, as typed), and the kind of article."""

    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(
        choices=SourceKind.choices, label=_("Kind"), empty_label=_("Any kind"), widget=FastSelect
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        for word in value.split()[:10]:  # ten words are plenty; more would only make the query longer
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(publisher__icontains=word)
                | Q(author__icontains=word)
            )
        return queryset

    @property
    def active(self) -> dict[str, str]:
        return {name: value for name, value in self.form.cleaned_data.items() if value not in ("", None)}

    @property
    def ignored(self) -> list[str]:
        return [self.filters[name].label or name for name in self.form.errors]


def actor_choices() -> list[tuple[str, str]]:
    return list(Actor.objects.order_by("name").values_list("slug", in_page_language("name")))


class TimelineFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False, label=_("Kind"), choices=[("", _("Any kind")), *CommitmentKind.choices], widget=FastSelect
    )
    party = forms.ChoiceField(required=False, label=_("Party"), widget=FastSelect)
    commitment = forms.ChoiceField(required=False, label=_("Commitment"), widget=FastSelect)
    type = forms.ChoiceField(
        required=False, label=_("Event"), choices=[("", _("Any event")), *EVENT_TYPES], widget=FastSelect
    )

    def __init__(self, *args, parties: list[tuple[str, str]], commitments: list[tuple[str, str]], **kwargs):
        """`commitments`: the one asked for (slug, title), if it exists. A menu of every commitment would weigh a
        megabyte at scale, so the filter is offered where it is in use: links lead here from each commitment's page,
        and the menu then lets the reader drop it."""
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("party", [("", _("Anyone")), *parties]),
            ("commitment", [("", _("Any commitment")), *commitments]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    @property
    def shown_fields(self):
        """The fields the form shows: the commitment menu only when a commitment is chosen."""
        return [self[name] for name in self.fields if name != "commitment" or len(self.fields[name].choices) > 1]

    @property
    def active(self) -> dict[str, str]:
        """The valid, non-empty filters (an invalid one is left out of cleaned_data, hence ignored)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def ignored(self) -> list[str]:
        self.is_valid()
        return [str(self.fields[name].label or name.capitalize()) for name in self.errors]
