import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from tracker.dates import DatePrecision, describe

# ---------------------------------------------------------------------------------------------------------------
# Choices that carry behaviour: labels for people, a CSS class for badges, a definition for the glossary.
# ---------------------------------------------------------------------------------------------------------------


class Language(models.TextChoices):
    """The languages of the site and of its sources. English is the original of everything the editors write; the
    Japanese of it (`<field>_ja`) is their translation (tracker/translated.py shows it, or English with a marker)."""

    ENGLISH = "en", _("English")
    JAPANESE = "ja", _("Japanese")


class Country(models.TextChoices):
    JAPAN = "JP", _("Japan")
    UNITED_STATES = "US", _("United States")
    OTHER = "XX", _("Other / international")


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    COMPANY = "company", _("Company")
    MEDIA = "media", _("News organisation")


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", _("News report")
    ANALYSIS = "analysis", _("News analysis")
    OPINION = "opinion", _("Opinion piece")
    EXPLAINER = "explainer", _("Explainer")
    OFFICIAL = "official", _("Official statement or document")


class CommitmentKind(models.TextChoices):
    DEFENCE_SPENDING = "defence_spending", _("Defence spending")
    INVESTMENT = "investment", _("Investment")
    PURCHASE = "purchase", _("Purchase")
    TRADE = "trade", _("Tariff and trade")
    ECONOMIC_SECURITY = "economic_security", _("Economic security")
    TECHNOLOGY = "technology", _("Technology")
    SECURITY = "security", _("Security and diplomacy")
    SYMBOLIC = "symbolic", _("Symbolic")


class Nature(models.TextChoices):
    PLEDGE = "pledge", _("Pledge")
    DEMAND = "demand", _("Demand")
    AGREEMENT = "agreement", _("Agreement")


class BadgeChoices(models.TextChoices):
    """A rating scale shown as badges: each value has a CSS class and a definition on the /statuses/ page."""

    @property
    def css_class(self) -> str:
        return f"{type(self).__name__.lower()}-{self.value.replace('_', '-')}"

    @property
    def definition(self) -> str:
        return str(DEFINITIONS[self])


class Status(BadgeChoices):
    NOT_RATED = "not_rated", _("Not yet rated")
    IN_THE_WORKS = "in_the_works", _("In the works")
    STALLED = "stalled", _("Stalled")
    KEPT = "kept", _("Kept")
    COMPROMISE = "compromise", _("Compromise")
    BROKEN = "broken", _("Broken")


# A status that settles a commitment: its deadline no longer counts down.
SETTLED = (Status.KEPT, Status.BROKEN, Status.COMPROMISE)


class Formality(BadgeChoices):
    """How binding a commitment is, weakest first."""

    STATEMENT = "statement", _("Statement")
    PLEDGE = "pledge", _("Pledge")
    AGREEMENT = "agreement", _("Signed agreement")
    POLICY_DOCUMENT = "policy_document", _("Policy document")
    LAW = "law", _("Law")


DEFINITIONS = {
    Status.NOT_RATED: _("No source yet shows whether anything has been done about it."),
    Status.IN_THE_WORKS: _("A source shows concrete steps under way: a budget, a bill, talks, a signed document."),
    Status.STALLED: _("A source shows the work blocked, postponed or dropped from the agenda."),
    Status.KEPT: _("A source shows it done as promised, on time."),
    Status.COMPROMISE: _("A source shows it done in part, late, or in a weaker form than promised."),
    Status.BROKEN: _("A source shows it abandoned, reversed, or its deadline missed with nothing done."),
    Formality.STATEMENT: _("Said in public (a speech, an interview, a post), nothing more."),
    Formality.PLEDGE: _("Announced as a commitment of a government or company, with a goal."),
    Formality.AGREEMENT: _("Written into a document that both sides signed or concluded."),
    Formality.POLICY_DOCUMENT: _("Written into a government strategy, plan or budget."),
    Formality.LAW: _("Enacted in law."),
}


class Unit(models.TextChoices):
    # xgettext:no-python-format
    PERCENT_OF_GDP = "pct_gdp", _("% of GDP")
    PERCENT = "pct", _("%")
    USD = "usd", _("US dollars")
    JPY = "jpy", _("Japanese yen")
    UNITS = "units", _("Units")
    NONE = "none", _("No numeric measure")

    @property
    def is_percentage(self) -> bool:
        return self in (Unit.PERCENT_OF_GDP, Unit.PERCENT)

    def format(self, value: Decimal, label: str = "", *, short: bool = False) -> str:  # type: ignore[override]
        """A value written for people: "2% of GDP", "$550 billion", "250 cherry trees".

        `short` drops what the reader already knows from the target beside it: "from about 1.8%".
        """
        number = _format_number(value)
        if self is Unit.PERCENT_OF_GDP:
            # "2% of GDP"; Japanese puts the measure first: "国内総生産(GDP)比2%". Always the half-width "%".
            return f"{number}%" if short else gettext("%(number)s%% of GDP") % {"number": number}
        if self is Unit.PERCENT:
            return f"{number}%" if short or not label else f"{number}% {label}"
        if self is Unit.USD:
            return gettext("$%(amount)s") % {"amount": _format_money(value)}
        if self is Unit.JPY:
            return gettext("¥%(amount)s") % {"amount": _format_money(value)}
        if self is Unit.UNITS:
            return f"{number} {label}".strip()
        return number


class MoneyStage(models.TextChoices):
    """How far an amount of money has got: announced is a number said, committed a number signed or approved,
    disbursed money paid out."""

    ANNOUNCED = "announced", _("Announced")
    COMMITTED = "committed", _("Committed")
    DISBURSED = "disbursed", _("Disbursed")


class TargetQualifier(models.TextChoices):
    EXACTLY = "", _("Exactly")
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")
    ABOUT = "about", _("About")


class RelationKind(models.TextChoices):
    ANSWERS = "answers", _("answers")
    COUNTERPART = "counterpart", _("is the other half of the deal with")
    PART_OF = "part_of", _("is part of")
    FOLLOWS_UP = "follows_up", _("follows up")


def _format_number(value: Decimal) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# The large-number words of each way of counting: English counts in thousands (million, billion, trillion),
# Japanese in ten-thousands (万, 億, 兆): $550 billion is 5,500億ドル, ¥1.1 trillion 1.1兆円.
_MONEY_WORDS = {
    "en": ((Decimal(10) ** 12, " trillion"), (Decimal(10) ** 9, " billion"), (Decimal(10) ** 6, " million")),
    "ja": ((Decimal(10) ** 12, "兆"), (Decimal(10) ** 8, "億"), (Decimal(10) ** 4, "万")),
}


def _format_money(value: Decimal) -> str:
    """ "550 billion" (English), "5,500億" (Japanese): the number in the largest word it reaches."""
    words = _MONEY_WORDS["ja" if get_language() == "ja" else "en"]
    for size, word in words:
        if value >= size:
            return f"{_format_number(value / size)}{word}"
    return _format_number(value)


PRECISION_CHOICES = DatePrecision.choices


def qualified(qualifier: str, words: str) -> str:
    """A target with its qualifier: "at least 2% of GDP", "少なくとも国内総生産(GDP)比2%"."""
    if not qualifier:
        return words
    return gettext("%(qualifier)s %(value)s") % {"qualifier": TargetQualifier(qualifier).label.lower(), "value": words}


# ---------------------------------------------------------------------------------------------------------------
# What an event can revise: the one declaration read by the replay, "as of", the admin, import/export, the
# timeline and the forms.
# ---------------------------------------------------------------------------------------------------------------


def _describe_choice(choices):
    return lambda commitment, value: str(choices(value).label) if value else "—"


@dataclass(frozen=True)
class Revisable:
    """A part of a commitment's state that an event (a StatusUpdate) can revise.

    The commitment keeps it in `columns` (current, derived by replaying its events) and in `initial_<column>` (as
    first recorded, before any event); an event carries the value its source gives in `new_<column>`, and the value
    it replaced, derived by the replay, in `old_<column>`. The first column says whether an event revises it.
    """

    key: str  # the name editors and readers see, and the timeline's event type
    columns: tuple[str, ...]
    event_label: StrOrPromise  # the timeline's filter: "Deadline revisions"
    describe: Callable[[Any, tuple], str]  # (commitment, values of `columns`) -> words

    @cached_property
    def new_fields(self) -> tuple[str, ...]:
        return tuple(f"new_{column}" for column in self.columns)

    @cached_property
    def old_fields(self) -> tuple[str, ...]:
        return tuple(f"old_{column}" for column in self.columns)

    @cached_property
    def initial_fields(self) -> tuple[str, ...]:
        return tuple(f"initial_{column}" for column in self.columns)

    def revised_by(self, update) -> bool:
        return getattr(update, self.new_fields[0]) not in ("", None)  # cached: the replay asks this a lot

    @property
    def condition(self) -> Q:
        """Updates that revise it, in SQL."""
        first = self.new_fields[0]
        if self.columns[0] in TEXT_COLUMNS:
            return ~Q(**{first: ""})
        return Q(**{f"{first}__isnull": False})


# Revisable columns stored as text: empty means "not revised" (the others are NULL then).
TEXT_COLUMNS = ("status", "formality", "title", "instrument")

REVISABLE = (
    Revisable("status", ("status",), _("Status changes"), lambda c, v: _describe_choice(Status)(c, v[0])),
    Revisable("formality", ("formality",), _("Formality changes"), lambda c, v: _describe_choice(Formality)(c, v[0])),
    Revisable("target", ("target_value",), _("Target revisions"), lambda c, v: c.format_value(v[0]) or gettext("none")),
    Revisable(
        "deadline",
        ("deadline", "deadline_precision"),
        _("Deadline revisions"),
        lambda c, v: describe(*v, empty=gettext("none")),
    ),
    # A renaming names the commitment in both languages: the Japanese title is the editors' translation of the English
    # one as it stood, so it is versioned with it (empty: not translated, English shown with a marker).
    Revisable("title", ("title", "title_ja"), _("Renamings"), lambda c, v: _title_in_language(*v) or "—"),
    Revisable("legal basis", ("instrument",), _("Legal basis changes"), lambda c, v: v[0] or gettext("none stated")),
)
# What each part of the state is called on the pages ("status: in the works → kept"); its key stays the same in the
# URLs (the timeline's event type) and the downloads (the "what" column), whatever the language.
REVISABLE_NAMES = {
    "status": _("status"),
    "formality": _("formality"),
    "target": _("target"),
    "deadline": _("deadline"),
    "title": _("title"),
    "legal basis": _("legal basis"),
}
# Every column of a commitment's state, in the order of REVISABLE.
STATE_COLUMNS = tuple(column for revisable in REVISABLE for column in revisable.columns)
# The title in both languages: the editors' wording until an event renames the commitment (services.save_commitment).
TITLE_COLUMNS = next(revisable.columns for revisable in REVISABLE if revisable.key == "title")


def _title_in_language(title: str, title_ja: str) -> str:
    from django.utils.translation import get_language

    return title_ja if title_ja and (get_language() or "").startswith("ja") else title


def _date_pair_is_complete(date_field: str, precision_field: str) -> Q:
    """Both a date and its precision, or neither."""
    return Q(**{f"{date_field}__isnull": True, precision_field: ""}) | (
        Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision_field: ""})
    )


def _clean_date_pair(errors: dict, day, precision: str, field: str, precision_field: str, *, deadline=False):
    if (day is None) != (not precision):
        errors[precision_field if day else field] = "Give both the date and its precision, or neither."
        return
    if day is None:
        return
    kind = DatePrecision(precision)
    if deadline and not kind.is_period_end(day):
        errors[field] = f"A deadline of this precision is stored as the last day of its period ({kind.period(day)[1]})."
    if not deadline and not kind.is_period_start(day):
        errors[field] = f"A date of this precision is stored as the first day of its period ({kind.period(day)[0]})."


# ---------------------------------------------------------------------------------------------------------------
# Actors and sources
# ---------------------------------------------------------------------------------------------------------------


class Revisioned(models.Model):
    """Bumped by every save: an editor's form that loaded an older revision is refused instead of overwriting
    (tracker.forms.ConflictCheckedForm). Commitment has its own, older, field of the same name and meaning."""

    # A database default too: bulk loads that write plain rows (tracker/scale_data.py) need not name it.
    revision = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.revision += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)


class Actor(Revisioned):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind.choices)
    country = models.CharField(max_length=2, choices=Country.choices)
    role = models.CharField(
        max_length=300, blank=True, help_text="As the sources describe it, e.g. “Japan's foreign minister”."
    )
    name_ja = models.CharField(
        "name in Japanese (editors’ translation)",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="The editors' translation, as Japanese newsrooms write it (高市早苗). Empty: the English is shown.",
    )
    role_ja = models.CharField(
        "role in Japanese (editors’ translation)",
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text="The editors' translation.",
    )
    represents = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The government or organisation this person speaks for, if any.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceQuerySet(models.QuerySet):
    def with_quote_counts(self):
        return self.annotate(quote_count=models.Count("quotes", distinct=True))


class Source(Revisioned):
    title = models.CharField(
        max_length=300, blank=True, help_text="The headline as printed; empty if the text has none."
    )
    description = models.CharField(max_length=300, help_text="Our one-line description of the document.")
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    publisher = models.CharField(max_length=200, blank=True, help_text="Only if the text names it.")
    author = models.CharField(max_length=200, blank=True, help_text="Only if the text names it.")
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)
    date_note = models.TextField(blank=True, help_text="How the publication date was worked out, or why it is vague.")
    text = models.TextField(help_text="The full text, stored verbatim.")
    language = models.CharField(
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        db_default=Language.ENGLISH,
        help_text="The language the text is written in: its quotes are always shown in it.",
    )
    text_sha256 = models.CharField(max_length=64, editable=False)
    seed_file = models.CharField(max_length=100, blank=True, help_text="The seed file the text came from, if any.")
    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["published_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_date_pair_is_complete("published_on", "published_precision"),
                name="source_published_date_has_precision",
            ),
            models.CheckConstraint(condition=Exact(Length("text_sha256"), 64), name="source_text_sha256_is_set"),
            models.UniqueConstraint(fields=["seed_file"], condition=~Q(seed_file=""), name="source_seed_file_unique"),
        ]

    def __str__(self) -> str:
        return self.display_title

    def save(self, *args, **kwargs):
        self.text_sha256 = self.hash_text(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("source_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title or self.description

    @property
    def published_display(self) -> str:
        return describe(self.published_on, self.published_precision)

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def clean(self):
        errors = {}
        _clean_date_pair(errors, self.published_on, self.published_precision, "published_on", "published_precision")
        if not self.text.strip():
            errors["text"] = "Paste the document's full text."
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------------------
# Commitments
# ---------------------------------------------------------------------------------------------------------------


class CommitmentQuerySet(models.QuerySet):
    def as_of(self, day: datetime.date | None):
        """Each commitment's state on `day` as `<column>_then` (see STATE_COLUMNS), and only the commitments on record
        by then; without a day, the current state.

        The state comes from the stored projection (CommitmentState, one row per period of what was known), so the
        past costs one indexed join, never a replay.
        """
        if day is None:
            return self.annotate(**{f"{column}_then": models.F(column) for column in STATE_COLUMNS})
        period = models.FilteredRelation(
            "states", condition=Q(states__known_from__lte=day, states__known_until__gt=day)
        )
        return (
            self.annotate(period=period)
            .filter(period__isnull=False)
            .annotate(**{f"{column}_then": models.F(f"period__{column}") for column in STATE_COLUMNS})
        )

    def changed_between(self, start: datetime.date, end: datetime.date):
        """Commitments whose state on `end` differs from their state on `start`, or which came on record in between;
        chain after `as_of(end)`. Each gets `<column>_before` (None for one not on record on `start`).

        The candidates are those with a period beginning in the window with a change of state (state_changed_from_idx);
        a state that moved and moved back is then left out by comparing the two days' periods, column by column.
        """
        window = CommitmentState.objects.filter(
            commitment=models.OuterRef("pk"), changed=True, known_from__gt=start, known_from__lte=end
        )
        before = models.FilteredRelation(
            "states", condition=Q(states__known_from__lte=start, states__known_until__gt=start)
        )
        differs = Q(before__isnull=True)
        for column in STATE_COLUMNS:
            old, new = f"before__{column}", models.F(f"{column}_then")
            # Positive comparisons only: NOT over a LEFT JOIN's NULLs would need care in every database.
            differs |= Q(**{f"{old}__lt": new}) | Q(**{f"{old}__gt": new})
            if CommitmentState._meta.get_field(column).null:
                differs |= Q(**{f"{old}__isnull": True, f"{column}_then__isnull": False})
                differs |= Q(**{f"{old}__isnull": False, f"{column}_then__isnull": True})
        return (
            self.filter(models.Exists(window))
            .annotate(before=before)
            .annotate(**{f"{column}_before": models.F(f"before__{column}") for column in STATE_COLUMNS})
            .annotate(was_on_record=models.ExpressionWrapper(Q(before__isnull=False), models.BooleanField()))
            .filter(differs)
        )

    def with_last_update(self, day: datetime.date | None = None):
        """`last_update_on`: the date of the latest update (known by `day`), or None. Chain after `as_of(day)`.

        Today: a subquery per commitment, served by update_commitment_date_idx, rather than a join to every update
        and a GROUP BY: the database computes it only for the rows it returns (a page of 25, not all commitments),
        and a count of the list leaves it out. On a past day: the period's own record of it.
        """
        if day is not None:
            return self.annotate(last_update_on=models.F("period__last_update_on"))
        latest = StatusUpdate.objects.filter(commitment=models.OuterRef("pk")).order_by("-happened_on")
        return self.annotate(last_update_on=models.Subquery(latest.values("happened_on")[:1]))

    def needing_review(self, today: datetime.date):
        """Commitments that need an editor's look on `today`: nothing sourced (no event, no editor's check, no
        announcement) for TRACKER_REVIEW_AFTER_DAYS days, or a deadline passed while unsettled and not checked since.
        Chain after `as_of(day)`."""
        return self.filter(needs_review_condition(today))

    def for_listing(self, day: datetime.date | None = None):
        """What a list of commitments shows: the state on `day`, the parties, the date of the latest update."""
        return self.select_related("pledged_by", "pledged_to").as_of(day).with_last_update(day)

    def for_detail(self):
        return self.select_related("pledged_by", "pledged_to")


def review_cutoff(today: datetime.date) -> datetime.date:
    from django.conf import settings

    return today - datetime.timedelta(days=settings.TRACKER_REVIEW_AFTER_DAYS)


def needs_review_condition(today: datetime.date) -> Q:
    """See CommitmentQuerySet.needing_review; on the `<column>_then` values of `as_of`."""
    cutoff = review_cutoff(today)
    recent = (
        Q(announced_on__gte=cutoff)
        | models.Exists(
            StatusUpdate.objects.filter(
                commitment=models.OuterRef("pk"), happened_on__gte=cutoff, happened_on__lte=today
            )
        )
        | models.Exists(
            ReviewCheck.objects.filter(commitment=models.OuterRef("pk"), checked_on__gte=cutoff, checked_on__lte=today)
        )
    )
    checked_since_deadline = models.Exists(
        ReviewCheck.objects.filter(
            commitment=models.OuterRef("pk"), checked_on__gt=models.OuterRef("deadline_then"), checked_on__lte=today
        )
    )
    overdue = Q(deadline_then__lt=today) & ~Q(status_then__in=SETTLED) & ~Q(checked_since_deadline)
    return ~Q(recent) | overdue


def is_part_condition() -> models.Exists:
    """The commitment "is part of" another (a project of an investment, an item of a package)."""
    return models.Exists(
        CommitmentLink.objects.filter(from_commitment=models.OuterRef("pk"), relation=RelationKind.PART_OF)
    )


def show_state_then(commitments):
    """Put each commitment's annotated `<column>_then` values in its fields, for the templates (in memory only, never
    saved); returns the commitments as a list."""
    return list(each_state_then(commitments))


def each_state_then(commitments):
    """`show_state_then`, one commitment at a time: for downloads that stream."""
    for commitment in commitments:
        for column in STATE_COLUMNS:
            setattr(commitment, column, getattr(commitment, f"{column}_then"))
        yield commitment


class Commitment(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    # The editors' translations (tracker/translated.py): empty means "not translated", and the English is shown.
    title_ja = models.CharField(
        "title in Japanese (editors’ translation)",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="The editors' translation of the title. Once an update renamed the commitment, change it there.",
    )
    summary_ja = models.TextField(
        "summary in Japanese (editors’ translation)",
        blank=True,
        default="",
        db_default="",
        help_text="The editors' translation.",
    )
    kind = models.CharField(max_length=30, choices=CommitmentKind.choices)
    nature = models.CharField(max_length=20, choices=Nature.choices, default=Nature.PLEDGE)
    pledged_by = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="commitments_made")
    pledged_to = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="commitments_received"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_RATED)
    formality = models.CharField(max_length=20, choices=Formality.choices, default=Formality.STATEMENT)

    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.NONE)
    unit_label = models.CharField(max_length=50, blank=True, help_text="What is counted, e.g. “cherry trees”.")
    baseline_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_is_approximate = models.BooleanField(default=False, help_text="The source says “around”, “about”…")
    baseline_as_of = models.DateField(null=True, blank=True)
    baseline_as_of_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)
    target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target_qualifier = models.CharField(max_length=10, choices=TargetQualifier.choices, blank=True, default="")

    deadline = models.DateField(null=True, blank=True, help_text="The last day of the deadline's period.")
    deadline_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)
    announced_on = models.DateField(null=True, blank=True, help_text="The first day of the period it was announced in.")
    announced_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)
    instrument = models.CharField(
        max_length=300,
        blank=True,
        help_text="The legal basis, as the sources name it: “an executive order under the International Emergency "
        "Economic Powers Act”, “a proclamation under Section 122 of the Trade Act of 1974”, “a cabinet decision”, "
        "“a law”. Once the commitment exists, changed by an update (old → new, sourced).",
    )
    lapses_on = models.DateField(
        null=True,
        blank=True,
        help_text="Valid until: the last day the measure has effect unless renewed (a tariff limited to 150 days). "
        "Not a deadline: lapsing is never shown as a missed deadline.",
    )

    # The state as first recorded, before any event: what the replay of the events starts from (tracker.history).
    # Set when the commitment is created; only the title may be corrected later (see services.save_commitment).
    initial_title = models.CharField(max_length=200, editable=False, default="")
    initial_title_ja = models.CharField(max_length=200, editable=False, default="", db_default="")
    # Empty for a status or formality not stated when first recorded: its first update then reads "— → …".
    initial_status = models.CharField(max_length=20, choices=Status.choices, editable=False, blank=True)
    initial_formality = models.CharField(max_length=20, choices=Formality.choices, editable=False, blank=True)
    initial_target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, editable=False)
    initial_deadline = models.DateField(null=True, editable=False)
    initial_deadline_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, editable=False, default="")
    initial_instrument = models.CharField(max_length=300, editable=False, blank=True, default="")

    note = models.TextField(blank=True, help_text="Editorial note: where sources disagree or are vague.")
    note_ja = models.TextField(
        "note in Japanese (editors’ translation)",
        blank=True,
        default="",
        db_default="",
        help_text="The editors' translation of the note.",
    )
    is_reported = models.BooleanField(
        default=False,
        help_text="Known only from press reports (“Reuters reported”, “reportedly preparing”), not from a statement "
        "of the party said to pledge it.",
    )
    # Bumped by every save: an editor's form that loaded an older revision is refused instead of overwriting.
    revision = models.PositiveIntegerField(default=0, editable=False)
    related = models.ManyToManyField("self", through="CommitmentLink", symmetrical=False, blank=True)
    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()
    # Set on the rows of CommitmentQuerySet.annotate_last_update() (and the sitemap's): no column of its own.
    last_update_on: datetime.date | None
    # Set on the rows of CommitmentQuerySet.changed_between() (and by the /changes/ view): on record on the first day.
    was_on_record: bool

    class Meta:
        ordering = ["title"]
        indexes = [
            # The overview and index list the next deadlines first.
            models.Index(fields=["deadline"], name="commitment_deadline_idx"),
            # The index page's facet counts and its total (tracker.filters.CommitmentFilter.facet_counts): every
            # column they group, filter or count by, so that each is an index-only scan (migration 0004).
            models.Index(
                fields=["kind", "status", "formality", "pledged_by", "pledged_to", "deadline", "target_value", "id"],
                name="commitment_facets_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_value__gte=0),
                name="commitment_baseline_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0), name="commitment_target_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(unit__in=[Unit.PERCENT_OF_GDP, Unit.PERCENT])
                | (
                    (Q(target_value__isnull=True) | Q(target_value__lte=100))
                    & (Q(baseline_value__isnull=True) | Q(baseline_value__lte=100))
                ),
                name="commitment_percentages_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(unit=Unit.NONE) | (Q(target_value__isnull=True) & Q(baseline_value__isnull=True)),
                name="commitment_values_need_a_unit",
            ),
            models.CheckConstraint(
                condition=_date_pair_is_complete("deadline", "deadline_precision"),
                name="commitment_deadline_has_precision",
            ),
            models.CheckConstraint(
                condition=_date_pair_is_complete("announced_on", "announced_precision"),
                name="commitment_announced_has_precision",
            ),
            models.CheckConstraint(
                condition=_date_pair_is_complete("baseline_as_of", "baseline_as_of_precision"),
                name="commitment_baseline_date_has_precision",
            ),
            models.CheckConstraint(
                condition=~Q(pledged_to=models.F("pledged_by")), name="commitment_not_pledged_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self._state.adding and not self.initial_title:
            # A new commitment starts in the state it is created with: its history replays from there.
            for revisable in REVISABLE:
                for column, initial in zip(revisable.columns, revisable.initial_fields, strict=True):
                    setattr(self, initial, getattr(self, column))
        self.revision += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            from tracker import history  # the projection needs the models: imported when first used

            history.rebuild(self)

    def get_absolute_url(self) -> str:
        return reverse("commitment_detail", args=[self.slug])

    def clean(self):
        errors = {}
        for field in ("baseline_value", "target_value"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "Amounts cannot be negative."
            elif value is not None and Unit(self.unit).is_percentage and value > 100:
                errors[field] = "A percentage must be between 0 and 100."
        if self.unit == Unit.NONE and (self.target_value is not None or self.baseline_value is not None):
            errors["unit"] = "Choose a unit for the target and baseline values."
        if self.pledged_by_id and self.pledged_by_id == self.pledged_to_id:
            errors["pledged_to"] = "A commitment is made to someone else."
        _clean_date_pair(
            errors, self.deadline, self.deadline_precision, "deadline", "deadline_precision", deadline=True
        )
        _clean_date_pair(errors, self.announced_on, self.announced_precision, "announced_on", "announced_precision")
        _clean_date_pair(
            errors, self.baseline_as_of, self.baseline_as_of_precision, "baseline_as_of", "baseline_as_of_precision"
        )
        if errors:
            raise ValidationError(errors)

    # -- written for people --------------------------------------------------------------------------------

    def format_value(self, value: Decimal | None, *, short: bool = False) -> str:
        if value is None:
            return ""
        return Unit(self.unit).format(value, self.unit_label, short=short)

    @property
    def status_choice(self) -> Status:
        return Status(self.status)

    @property
    def formality_choice(self) -> Formality:
        return Formality(self.formality)

    @property
    def target_display(self) -> str:
        """ "2% of GDP, from about 1.8%" — or an empty string when there is no numeric target."""
        if self.target_value is None:
            return ""
        words = qualified(self.target_qualifier, self.format_value(self.target_value))
        if self.baseline_value is not None:
            baseline = self.format_value(self.baseline_value, short=True)
            if self.baseline_is_approximate:
                baseline = gettext("about %(value)s") % {"value": baseline}
            words = gettext("%(target)s, from %(baseline)s") % {"target": words, "baseline": baseline}
        return words

    @property
    def deadline_display(self) -> str:
        if self.deadline is None:
            return gettext("No deadline stated")
        return DatePrecision(self.deadline_precision).describe_deadline(self.deadline)

    @property
    def announced_display(self) -> str:
        return describe(self.announced_on, self.announced_precision)

    def days_to_deadline(self, today: datetime.date) -> int | None:
        """Days left (negative: days past the deadline), counted to the last day of its period."""
        return None if self.deadline is None else (self.deadline - today).days

    def deadline_distance(self, today: datetime.date) -> str:
        """ "120 days left", "due today" or "deadline passed 30 days ago", whatever the status; "" without a deadline."""
        days = self.days_to_deadline(today)
        if days is None:
            return ""
        if days > 0:
            return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
        if days == 0:
            return gettext("due today")
        return ngettext("deadline passed %(days)s day ago", "deadline passed %(days)s days ago", -days) % {
            "days": -days
        }

    def deadline_countdown(self, today: datetime.date) -> str:
        """ "120 days left", "deadline passed 30 days ago", or "" when there is no deadline or it is settled."""
        return "" if self.status in SETTLED else self.deadline_distance(today)

    def lapse_display(self, today: datetime.date) -> str:
        """ "lapses in 18 days (31 July 2026)", "lapses today", "lapsed on 31 July 2026"; "" without a lapse date."""
        if self.lapses_on is None:
            return ""
        day = describe(self.lapses_on, DatePrecision.DAY)
        days = (self.lapses_on - today).days
        if days > 0:
            return ngettext("lapses in %(days)s day (%(day)s)", "lapses in %(days)s days (%(day)s)", days) % {
                "days": days,
                "day": day,
            }
        if days == 0:
            return gettext("lapses today (%(day)s)") % {"day": day}
        return gettext("lapsed on %(day)s") % {"day": day}

    def review_reasons(
        self, today: datetime.date, last_update_on: datetime.date | None, last_checked_on: datetime.date | None
    ) -> list[str]:
        """Why the commitment needs review on `today`, in words (empty: it does not). The same rule as
        `needs_review_condition`, for one commitment already loaded."""
        from django.conf import settings

        reasons = []
        cutoff = review_cutoff(today)
        sourced = [day for day in (last_update_on, last_checked_on, self.announced_on) if day and day <= today]
        if not sourced or max(sourced) < cutoff:
            reasons.append(
                gettext("nothing new has been sourced for more than %(days)s days")
                % {"days": settings.TRACKER_REVIEW_AFTER_DAYS}
            )
        if self.is_overdue(today) and not (last_checked_on and self.deadline and last_checked_on > self.deadline):
            reasons.append(gettext("its deadline has passed and it is not yet rated kept, compromise or broken"))
        return reasons

    def deadline_passed(self, today: datetime.date) -> bool:
        days = self.days_to_deadline(today)
        return days is not None and days < 0

    def is_overdue(self, today: datetime.date) -> bool:
        """The deadline has passed and the commitment is not settled."""
        return self.status not in SETTLED and self.deadline_passed(today)


class CommitmentLink(models.Model):
    """A directed link: "the US call for 3.5% *answers* Japan's 2% pledge"."""

    from_commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="links_out")
    to_commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=20, choices=RelationKind.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_commitment", "to_commitment"], name="commitment_link_unique"),
            models.CheckConstraint(
                condition=~Q(from_commitment=models.F("to_commitment")), name="commitment_link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_commitment} {self.get_relation_display()} {self.to_commitment}"

    def clean(self):
        if self.from_commitment_id and self.from_commitment_id == self.to_commitment_id:
            raise ValidationError({"to_commitment": "A commitment cannot be linked to itself."})


# ---------------------------------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------------------------------

_TYPOGRAPHIC_PAIRS = (
    ("‘", "'"),
    ("’", "'"),
    ("‚", "'"),
    ("‛", "'"),
    ("′", "'"),
    ("“", '"'),
    ("”", '"'),
    ("„", '"'),
    ("‟", '"'),
    ("″", '"'),
)
_TYPOGRAPHIC = str.maketrans(dict(_TYPOGRAPHIC_PAIRS))
_WHITESPACE = re.compile(r"\s+")
# Japanese is written without spaces: a space (or line break, or the ideographic space U+3000) between two Japanese
# characters or punctuation marks is layout, not text, so a quote copied across a wrapped line still matches. Only
# spacing: full-width and half-width characters stay distinct (“２％” is not “2%”), and 「」 stay themselves (they are
# Japanese quotation marks, not a typographic variant of "", and a Japanese source's quote keeps them as printed).
JAPANESE_WIDE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f"
_JAPANESE_GAP = re.compile(f"(?<=[{JAPANESE_WIDE}]) (?=[{JAPANESE_WIDE}])")


def normalise_text(text: str) -> str:
    """The only differences a quote may have from its source: curly vs straight quotes, and whitespace (none at all
    between Japanese characters)."""
    # str.replace per character, not str.translate: on a text with any non-ASCII character translate() looks every
    # character up in its table, a quarter of a millisecond for a 5 KB article, and each quote shown checks its source.
    for curly, straight in _TYPOGRAPHIC_PAIRS:
        if curly in text:
            text = text.replace(curly, straight)
    text = _WHITESPACE.sub(" ", text).strip()
    return text if text.isascii() else _JAPANESE_GAP.sub("", text)


class Quote(Revisioned):
    text = models.TextField(help_text="Copied verbatim from the source's stored text.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quotes")
    speaker = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="Who said these words, only where the article attributes them to that person or body; empty for the "
        "article's own words.",
    )
    according_to = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_quotes",
        help_text="For the article's own paraphrase of what someone said or did (“…, Reuters reported”; “…, the "
        "spokeswoman said”): the party it reports it from. Shown as “according to …”, never as a speaker.",
    )
    said_on = models.DateField(null=True, blank=True)
    said_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)
    commitments = models.ManyToManyField(Commitment, related_name="quotes")
    note = models.TextField(blank=True)
    translation = models.TextField(
        "editors’ translation",
        blank=True,
        default="",
        db_default="",
        help_text="Optional: the editors' translation into the other language (Japanese for an English source, "
        "English for a Japanese one). Shown under the quote, labelled as a translation, never as the quote.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["said_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_date_pair_is_complete("said_on", "said_precision"), name="quote_said_has_precision"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    @property
    def is_verified(self) -> bool:
        """Computed from the stored text, never typed in."""
        return bool(self.text.strip()) and normalise_text(self.text) in normalise_text(self.source.text)

    @property
    def said_display(self) -> str:
        return describe(self.said_on, self.said_precision)

    def clean(self):
        errors = {}
        _clean_date_pair(errors, self.said_on, self.said_precision, "said_on", "said_precision")
        if self.source_id and self.text and not self.is_verified:
            errors["text"] = (
                "This quote is not found in the source's stored text (curly/straight quotes and spacing aside)."
            )
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------------------
# Status updates: the history of a commitment. A revision is an event with old and new values, never an overwrite.
# ---------------------------------------------------------------------------------------------------------------


class StatusUpdateQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by("happened_on", "id")

    def for_timeline(self):
        return self.select_related("source", "quote__speaker").order_by("-happened_on", "-id")


class StatusUpdate(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    happened_on = models.DateField(help_text="The first day of the period it happened in.")
    happened_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, default=DatePrecision.DAY)
    date_is_report_date = models.BooleanField(
        default=False, help_text="The source does not say when it happened; the date is when the source reported it."
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="updates")
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates")
    note = models.TextField(help_text="What happened, in a sentence.")

    old_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    old_formality = models.CharField(max_length=20, choices=Formality.choices, blank=True)
    new_formality = models.CharField(max_length=20, choices=Formality.choices, blank=True)

    old_target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    new_target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)

    old_title = models.CharField(max_length=200, blank=True)
    new_title = models.CharField(
        max_length=200, blank=True, help_text="Only when the commitment is renamed, e.g. because its scope changed."
    )
    old_title_ja = models.CharField(max_length=200, blank=True, default="", db_default="")
    new_title_ja = models.CharField(
        "new title in Japanese (editors’ translation)",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="With a new title: the editors' translation of it (empty: the English is shown).",
    )

    old_deadline = models.DateField(null=True, blank=True)
    old_deadline_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)
    new_deadline = models.DateField(null=True, blank=True)
    new_deadline_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)

    old_instrument = models.CharField(max_length=300, blank=True)
    new_instrument = models.CharField(
        max_length=300,
        blank=True,
        help_text="Only when the legal basis changes: the new instrument, as the source names it.",
    )

    measured_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    measured_unit = models.CharField(
        max_length=10,
        choices=Unit.choices,
        blank=True,
        help_text="Empty: the commitment's own unit. Another unit when the source gives one (yen beside % of GDP).",
    )
    measured_is_approximate = models.BooleanField(
        default=False, help_text="The source says “about”, “around”, “roughly”…"
    )
    measured_as_of = models.DateField(
        null=True, blank=True, help_text="The period measured: its first day, with its precision (fiscal 2025…)."
    )
    measured_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)
    measured_basis = models.CharField(
        max_length=300,
        blank=True,
        help_text="What is counted, in words: “regular budget only”, “including the supplementary budget”, "
        "“state-bank loans and guarantees”.",
    )
    basis_changed = models.BooleanField(
        default=False,
        help_text="Counted differently from the measurement before it: the two are not like for like.",
    )
    money_stage = models.CharField(
        max_length=10, choices=MoneyStage.choices, blank=True, help_text="For money: announced, committed or disbursed."
    )
    # When the tracker learnt of it (set on the first save) and when it was last edited: the feeds' published and
    # updated times follow them. Empty for rows loaded from the fixtures, recorded before these were kept.
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["happened_on", "id"]
        indexes = [
            # A commitment's history, oldest first, and its latest update for "last updated".
            models.Index(fields=["commitment", "happened_on"], name="update_commitment_date_idx"),
            # The public timeline, newest first.
            models.Index(fields=["-happened_on", "-id"], name="update_timeline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_status="") | Q(source__isnull=False), name="update_status_change_needs_source"
            ),
            models.CheckConstraint(
                condition=Q(new_deadline__isnull=True, new_deadline_precision="")
                | (Q(new_deadline__isnull=False) & ~Q(new_deadline_precision="")),
                name="update_new_deadline_has_precision",
            ),
            models.CheckConstraint(
                condition=_date_pair_is_complete("old_deadline", "old_deadline_precision"),
                name="update_old_deadline_has_precision",
            ),
            models.CheckConstraint(
                condition=_date_pair_is_complete("measured_as_of", "measured_precision"),
                name="update_measurement_date_has_precision",
            ),
            models.CheckConstraint(
                condition=Q(measured_value__isnull=True) | Q(measured_value__gte=0),
                name="update_measurement_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(new_target_value__isnull=True) | Q(new_target_value__gte=0),
                name="update_target_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.happened_display}: {self.commitment}"

    def save(self, *args, **kwargs):
        from django.utils import timezone

        now = timezone.now()
        if self.recorded_at is None and self._state.adding:
            self.recorded_at = now
        self.changed_at = now
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_at"}
        super().save(*args, **kwargs)

    @property
    def measured_period_end(self) -> datetime.date:
        """The last day of the period measured (the event's date when no period is given): the latest measurement
        is the one whose period ends last."""
        if self.measured_as_of and self.measured_precision:
            return DatePrecision(self.measured_precision).period(self.measured_as_of)[1]
        return self.happened_on

    def format_measured(self) -> str:
        """The measured value in its own unit: "about ¥9.9 trillion", "2% of GDP"."""
        if self.measured_value is None:
            return ""
        unit = Unit(self.measured_unit or self.commitment.unit)
        words = unit.format(self.measured_value, self.commitment.unit_label)
        return gettext("about %(value)s") % {"value": words} if self.measured_is_approximate else words

    @property
    def happened_display(self) -> str:
        return describe(self.happened_on, self.happened_precision)

    @property
    def is_measurement(self) -> bool:
        return self.measured_value is not None

    def changes(self) -> list[tuple[str, str, str]]:
        """(what, old, new) for every change this update records, written for people. The old values are derived by
        replaying the commitment's events in date order (tracker.history)."""
        return [
            (
                revisable.key,
                revisable.describe(self.commitment, tuple(getattr(self, name) for name in revisable.old_fields)),
                revisable.describe(self.commitment, tuple(getattr(self, name) for name in revisable.new_fields)),
            )
            for revisable in REVISABLE
            if revisable.revised_by(self)
        ]

    @property
    def revises_anything(self) -> bool:
        return any(revisable.revised_by(self) for revisable in REVISABLE)

    @property
    def measurement_display(self) -> str:
        """ "about 2% of GDP for fiscal 2025 (committed; including the supplementary budget; basis changed)"."""
        if not self.is_measurement:
            return ""
        words = self.format_measured()
        if self.measured_as_of:
            period = describe(self.measured_as_of, self.measured_precision)
            words = gettext("%(value)s for %(period)s") % {"value": words, "period": period}
        notes = [
            *([self.get_money_stage_display().lower()] if self.money_stage else []),
            *([self.measured_basis] if self.measured_basis else []),
            *(
                [gettext("basis changed: not like for like with the previous measurement")]
                if self.basis_changed
                else []
            ),
        ]
        return (
            gettext("%(value)s (%(notes)s)") % {"value": words, "notes": gettext("; ").join(notes)} if notes else words
        )

    def clean(self):
        errors = {}
        _clean_date_pair(errors, self.happened_on, self.happened_precision, "happened_on", "happened_precision")
        if self.new_status and not self.source_id:
            errors["source"] = "A status change needs a source."
        if self.new_deadline is not None:
            _clean_date_pair(
                errors,
                self.new_deadline,
                self.new_deadline_precision,
                "new_deadline",
                "new_deadline_precision",
                deadline=True,
            )
        elif self.new_deadline_precision:
            errors["new_deadline"] = "Give the new deadline, or clear its precision."
        _clean_date_pair(errors, self.measured_as_of, self.measured_precision, "measured_as_of", "measured_precision")
        for field in ("measured_value", "new_target_value"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "Amounts cannot be negative."
        commitment = self.commitment if self.commitment_id else None
        if commitment and commitment.announced_on and self.happened_on and self.happened_on < commitment.announced_on:
            errors["happened_on"] = (
                f"An update cannot be dated before the commitment was announced ({commitment.announced_display})."
            )
        if commitment and self.quote_id and self.source_id and self.quote.source_id != self.source_id:
            errors["quote"] = "The quote must come from the update's source."
        if not (self.revises_anything or self.is_measurement or self.note.strip()):
            errors["note"] = "Say what happened."
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------------------
# The projection: what was known of each commitment, period by period. Derived from the events, never edited.
# ---------------------------------------------------------------------------------------------------------------

# Bounds of the periods: "since before anything was known" and "still current". Dates rather than NULLs, so that
# "the period covering day D" is one range condition an index serves.
BEGINNING = datetime.date(1, 1, 1)
STILL_CURRENT = datetime.date(9999, 12, 31)


class CommitmentState(models.Model):
    """A commitment's state from `known_from` (inclusive) until `known_until` (exclusive), as its events then known
    say. Rewritten for a commitment, with its row locked, whenever one of its events is recorded, edited or deleted
    (tracker.history.rebuild); `manage.py check_history` proves it matches a fresh replay."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="states")
    known_from = models.DateField()
    known_until = models.DateField()
    title = models.CharField(max_length=200)
    title_ja = models.CharField(max_length=200, blank=True, default="", db_default="")
    status = models.CharField(max_length=20, choices=Status.choices)
    formality = models.CharField(max_length=20, choices=Formality.choices)
    target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    deadline = models.DateField(null=True)
    deadline_precision = models.CharField(max_length=20, choices=PRECISION_CHOICES, blank=True)
    instrument = models.CharField(max_length=300, blank=True, default="")
    last_update_on = models.DateField(null=True, help_text="The latest event known in this period.")
    # The state differs from the previous period's (or the commitment first appears): what /changes/ looks for.
    changed = models.BooleanField()

    class Meta:
        ordering = ["commitment", "known_from"]
        indexes = [
            # "As of" a day: each commitment's period covering it (Commitment.objects.as_of), joined by commitment.
            models.Index(fields=["commitment", "known_from", "known_until"], name="state_commitment_period_idx"),
            # /changes/: the periods that begin inside a window with a change of state.
            models.Index(fields=["known_from"], condition=Q(changed=True), name="state_changed_from_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(known_from__lt=models.F("known_until")), name="state_period_not_empty"),
            models.UniqueConstraint(fields=["commitment", "known_from"], name="state_one_period_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.known_from} – {self.known_until}"


# ---------------------------------------------------------------------------------------------------------------
# Each side's reading of a commitment, and the editors' review checks
# ---------------------------------------------------------------------------------------------------------------


class Reading(models.Model):
    """How one party reads a commitment (“our money to invest, as we like” against “a blend of loan guarantees”),
    with the quote that supports it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="readings")
    party = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="readings", help_text="Whose reading: its country sets the side."
    )
    description = models.TextField(help_text="How this party describes the commitment, in a sentence of our own.")
    quote = models.ForeignKey(
        Quote, on_delete=models.PROTECT, related_name="readings", help_text="The quote that supports this reading."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "party__country", "id"]

    def __str__(self) -> str:
        return f"{self.party}: {self.description[:60]}"

    @property
    def side(self) -> str:
        return {Country.UNITED_STATES: "What Washington says", Country.JAPAN: "What Tokyo says"}.get(
            Country(self.party.country), f"What {self.party.name} says"
        )

    def clean(self):
        if self.quote_id and self.commitment_id and not self.quote.commitments.filter(pk=self.commitment_id).exists():
            raise ValidationError({"quote": "Choose one of this commitment's supporting quotes."})


class ReviewCheck(models.Model):
    """An editor looked for news of a commitment and found nothing new: it no longer needs review."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(help_text="The day the editor looked.")
    note = models.TextField(help_text="What was checked, for the public: “No news in the ministry's releases.”")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="checks")
    checked_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "-checked_on", "-id"]
        indexes = [models.Index(fields=["commitment", "checked_on"], name="check_commitment_date_idx")]

    def __str__(self) -> str:
        return f"{self.commitment}: checked on {self.checked_on}"

    def clean(self):
        if not (self.note or "").strip() and not self.source_id:
            raise ValidationError({"note": "Say what was checked, or give the source."})
