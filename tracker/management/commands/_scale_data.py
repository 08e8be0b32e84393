"""A deterministic synthetic dataset at scale, for benchmarks and profiling (`manage.py generate_scale_data`).

The rows respect every invariant an editor's data does:

- each quote is a verbatim passage of its source's stored text (so `Quote.is_verified` is true);
- each commitment's history explains its current state: updates are built oldest first and every old value is
  the running value before the update, exactly as `tracker.services.record_update` fills them, so
  `tracker.services.history_problems` finds nothing;
- dates follow the precision convention of tracker/dates.py: a deadline is the last day of its period, every
  other date the first day; no update is dated before its commitment was announced;
- a status change has a source; an update's quote comes from the update's source; values respect the model's
  constraints and `clean()` methods.

Rows are written in batches, never one by one: `bulk_create` for actors, sources and commitments, and plain
multi-row writes (`insert_rows`: COPY on PostgreSQL) for the bulk of the data, quotes and updates. No signal
fires, so no django-simple-history record is made for synthetic rows, and the page cache is told once, at the
end (`tracker.caching.data_changed`).

Everything is drawn from one `random.Random(seed)`, never from the database's ids or the clock, so the same seed
gives the same data on SQLite and PostgreSQL, today or next year.
"""

import datetime
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify

from tracker.caching import data_changed
from tracker.dates import DatePrecision
from tracker.models import (
    Actor,
    ActorKind,
    Commitment,
    CommitmentKind,
    CommitmentLink,
    CommitmentState,
    Country,
    Formality,
    Nature,
    Quote,
    RelationKind,
    Source,
    SourceKind,
    Status,
    StatusUpdate,
    TargetQualifier,
    Unit,
)

DEFAULTS = {"commitments": 10_000, "updates": 100_000, "quotes": 50_000, "sources": 5_000, "actors": 250}
BATCH_SIZE = 1000
# Commitments are planned and written this many at a time, with their quotes and updates.
CHUNK = 1000

# Every synthetic event falls in this window, whatever the day the command runs.
FIRST_DAY = datetime.date(2022, 1, 1)
LAST_DAY = datetime.date(2026, 10, 31)
DEADLINES = (datetime.date(2023, 1, 1), datetime.date(2034, 12, 31))

# The tables the command fills, in an order that deletes children before parents.
MODELS = (CommitmentState, CommitmentLink, StatusUpdate, Quote.commitments.through, Quote, Commitment, Source, Actor)


def period_start(day: datetime.date, precision: str) -> datetime.date:
    return DatePrecision(precision).period(day)[0]


def period_end(day: datetime.date, precision: str) -> datetime.date:
    return DatePrecision(precision).period(day)[1]


# ---------------------------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------------------------

OBJECTS = {
    CommitmentKind.DEFENCE_SPENDING: [
        "defence spending",
        "the defence budget",
        "counterstrike missiles",
        "Tomahawk cruise missiles",
        "host-nation support",
        "ammunition stockpiles",
        "the Self-Defense Forces",
        "US Navy ship repairs",
        "air and missile defence",
        "defence-related spending of 2% of GDP",
    ],
    CommitmentKind.INVESTMENT: [
        "the $550 billion investment package",
        "the investment vehicle",
        "shipbuilding projects",
        "energy infrastructure",
        "new power plants",
        "the Alaska LNG pipeline",
        "critical-minerals processing",
        "data centres",
        "pharmaceutical factories",
        "semiconductor fabs in Arizona",
    ],
    CommitmentKind.PURCHASE: [
        "LNG",
        "soybeans",
        "corn",
        "pick-up trucks",
        "Boeing aircraft",
        "rice",
        "ethanol",
        "beef",
        "US defence equipment",
        "wheat",
    ],
    CommitmentKind.TRADE: [
        "the 15% tariff",
        "auto tariffs",
        "Section 232 duties",
        "the trade agreement",
        "non-tariff barriers",
        "auto safety standards",
        "rice imports",
        "the reciprocal tariff",
        "steel quotas",
        "digital trade rules",
    ],
    CommitmentKind.ECONOMIC_SECURITY: [
        "rare earths",
        "critical minerals",
        "supply chains",
        "gallium and germanium",
        "magnet production",
        "rare-earth stockpiles",
        "export controls",
        "the rare-earths framework",
        "battery materials",
        "seabed mining",
    ],
    CommitmentKind.TECHNOLOGY: [
        "artificial intelligence",
        "quantum computing",
        "6G networks",
        "small modular reactors",
        "semiconductors",
        "fusion research",
        "space cooperation",
        "undersea cables",
        "the technology prosperity deal",
        "shipbuilding technology",
    ],
    CommitmentKind.SECURITY: [
        "deterrence",
        "the alliance",
        "the Taiwan Strait",
        "the Senkaku Islands",
        "extended deterrence",
        "command-and-control ties",
        "joint exercises",
        "Okinawa bases",
        "the Quad",
        "NATO partners in Asia",
    ],
    CommitmentKind.SYMBOLIC: [
        "cherry trees",
        "the golden age of the alliance",
        "the 250th anniversary of the United States",
        "a Nobel Peace Prize nomination",
        "a state visit",
        "a round of golf",
        "baseball diplomacy",
        "a new cultural exchange",
        "student exchanges",
        "the Washington cherry blossom festival",
    ],
}

VERBS = ["raise", "expand", "deliver", "secure", "speed up", "finance", "double", "review", "support", "complete"]
CITIES = [
    "Tokyo",
    "Washington",
    "Osaka",
    "New York",
    "Yokosuka",
    "Honolulu",
    "Nagoya",
    "Seoul",
    "Kuala Lumpur",
    "Gyeongju",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ADJECTIVES = [
    "on track",
    "ambitious",
    "behind schedule",
    "realistic",
    "vague",
    "historic",
    "costly",
    "overdue",
    "unlikely",
    "a priority",
]
DOCUMENTS = [
    "National Security Strategy",
    "budget request",
    "joint statement",
    "memorandum of understanding",
    "fact sheet",
    "framework agreement",
    "policy speech",
    "coalition agreement",
]
WHEN = [
    "by March 2026",
    "by fiscal 2027",
    "within three years",
    "before the end of the decade",
    "by 2028",
    "this fiscal year",
    "over the next five years",
    "by the end of 2026",
    "in the coming months",
]

GENERAL_TEMPLATES = [
    "{jp} officials said Japan would {verb} {obj} {when}.",
    "“We are committed to {obj},” {person} told reporters in {city}.",
    "{person} said the plan for {obj} was {adj}, according to people familiar with the talks.",
    "Analysts expect {obj} to cost about {amount} over {n} years.",
    "The {doc} mentions {obj} {n} times, according to a draft seen by reporters.",
    "{us} negotiators pressed Tokyo on {obj} during talks in {city} on {weekday}.",
    "Critics in the Diet questioned whether {obj} could be financed without new taxes.",
    "A statement from the ministry said progress on {obj} was {adj}.",
    "Markets reacted calmly, with the yen trading near {fx} to the dollar on {weekday}.",
    "The figure compares with {pct}% a year earlier, the latest data showed.",
    "“This is a historic moment for {obj},” {person} said, adding that more work was needed.",
    "Neither side gave a timetable for {obj}, and officials declined to say when details would be released.",
    "Under the agreement, Japan would {verb} {obj} worth {amount} {when}.",
    "{person} said {obj} and {obj2} would be discussed at the next meeting of ministers in {city}.",
    "The opposition called the plan for {obj} {adj} and demanded a full debate in parliament.",
    "Officials in {city} described {obj} as a test of the alliance after the summit of {weekday}.",
    "“We will not accept delays on {obj},” {person} said in a post on {weekday} evening.",
    "Business groups welcomed the talks on {obj} but warned about higher costs for exporters.",
    "Some {n} companies have signed up to the programme on {obj}, the {doc} says.",
    "The two governments agreed to {verb} {obj} and to report on progress {when}.",
    "{person}, who spoke on condition of anonymity, said {obj} remained {adj}.",
    "Polls show support for {obj} at about {pct}% of voters, down from a year earlier.",
    "The White House said the deal on {obj} would create thousands of jobs in {state}.",
    "Japanese officials have said privately that {obj} is {adj} without help from {state}.",
]

HEADLINES = [
    "{Party} pledges to {verb} {obj} {when}",
    "Tokyo and Washington at odds over {obj}",
    "What the summit means for {obj}",
    "{Party} moves to {verb} {obj} as talks resume",
    "Deal on {obj} hangs over the alliance",
    "Explainer: where {obj} stands",
    "{Party} says {obj} is {adj}",
    "Investors weigh the promise on {obj}",
]

STATES = ["Texas", "Alaska", "Louisiana", "Ohio", "Arizona", "Iowa", "Michigan", "Pennsylvania", "Georgia", "Kentucky"]

JP_SURNAMES = [
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Watanabe",
    "Ito",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Yamaguchi",
    "Matsumoto",
    "Inoue",
    "Kimura",
    "Hayashi",
    "Shimizu",
    "Saito",
    "Mori",
    "Ikeda",
    "Hashimoto",
    "Ishikawa",
    "Ogawa",
    "Fujita",
    "Okada",
    "Goto",
    "Hasegawa",
    "Murakami",
]
JP_GIVEN = [
    "Hiroshi",
    "Takeshi",
    "Kenji",
    "Yuko",
    "Akiko",
    "Naoko",
    "Daisuke",
    "Haruto",
    "Yui",
    "Aiko",
    "Kazuo",
    "Makoto",
    "Satoshi",
    "Emi",
    "Mariko",
    "Ryo",
    "Tomoko",
    "Keiko",
    "Masato",
    "Koji",
]
US_SURNAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
]
US_GIVEN = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Emily",
]
JP_COMPANY = (
    ["Hoshino", "Kaiyo", "Asahikawa", "Shinwa", "Daiichi", "Tohoku", "Keihin", "Nankai", "Fuji Coast", "Seto"],
    ["Heavy Industries", "Energy", "Trading", "Steel", "Motors", "Semiconductor", "Shipbuilding", "Gas"],
)
US_COMPANY = (
    ["Great Plains", "Gulf Coast", "Cascadia", "Liberty", "Appalachian", "Lone Star", "Prairie", "Atlantic"],
    ["Energy", "Agriculture", "Aerospace", "Steel", "Motors", "Chips", "Minerals", "Shipyards"],
)
MEDIA = [
    "Pacific Wire",
    "Tokyo Evening Ledger",
    "Capital Dispatch",
    "Asia Markets Daily",
    "Harbor News Service",
    "Kanto Business Journal",
    "Potomac Review",
    "Nihon Policy Weekly",
]
ROLES_JP = [
    "Japan's deputy minister for {area}",
    "Senior official at Japan's ministry of {area}",
    "Member of the House of Representatives who follows {area}",
    "Adviser to the prime minister on {area}",
]
ROLES_US = [
    "US assistant secretary for {area}",
    "Senior White House adviser on {area}",
    "US senator who sits on the committee for {area}",
    "US negotiator for {area}",
]
ROLES_ANALYST = [
    "Analyst of {area} at a Tokyo think tank",
    "Fellow in {area} at a Washington research institute",
    "Professor of {area} at a Japanese university",
]
AREAS = ["defence", "trade", "energy", "economic security", "agriculture", "technology", "foreign affairs", "finance"]

# The actors every synthetic commitment can be pledged by or to: two governments and their agencies.
CORE_ACTORS = [
    # slug, name, kind, country, represents (slug)
    ("japan", "Government of Japan", ActorKind.GOVERNMENT, Country.JAPAN, None),
    ("united-states", "US administration (Trump administration)", ActorKind.GOVERNMENT, Country.UNITED_STATES, None),
    ("japan-ministry-of-defense", "Ministry of Defense (Japan)", ActorKind.GOVERNMENT, Country.JAPAN, "japan"),
    ("japan-meti", "Ministry of Economy, Trade and Industry (Japan)", ActorKind.GOVERNMENT, Country.JAPAN, "japan"),
    ("japan-mofa", "Ministry of Foreign Affairs (Japan)", ActorKind.GOVERNMENT, Country.JAPAN, "japan"),
    (
        "japan-maff",
        "Ministry of Agriculture, Forestry and Fisheries (Japan)",
        ActorKind.GOVERNMENT,
        Country.JAPAN,
        "japan",
    ),
    (
        "us-department-of-defense",
        "US Department of Defense",
        ActorKind.GOVERNMENT,
        Country.UNITED_STATES,
        "united-states",
    ),
    (
        "us-department-of-commerce",
        "US Department of Commerce",
        ActorKind.GOVERNMENT,
        Country.UNITED_STATES,
        "united-states",
    ),
    ("ustr", "Office of the US Trade Representative", ActorKind.GOVERNMENT, Country.UNITED_STATES, "united-states"),
    (
        "us-department-of-energy",
        "US Department of Energy",
        ActorKind.GOVERNMENT,
        Country.UNITED_STATES,
        "united-states",
    ),
    (
        "us-department-of-agriculture",
        "US Department of Agriculture",
        ActorKind.GOVERNMENT,
        Country.UNITED_STATES,
        "united-states",
    ),
    (
        "japan-us-investment-committee",
        "Japan–US Investment Consultation Committee",
        ActorKind.ORGANISATION,
        Country.OTHER,
        None,
    ),
]

# How often each value is drawn: (value, weight).
KIND_WEIGHTS = [
    (CommitmentKind.DEFENCE_SPENDING, 14),
    (CommitmentKind.INVESTMENT, 18),
    (CommitmentKind.PURCHASE, 20),
    (CommitmentKind.TRADE, 14),
    (CommitmentKind.ECONOMIC_SECURITY, 10),
    (CommitmentKind.TECHNOLOGY, 10),
    (CommitmentKind.SECURITY, 9),
    (CommitmentKind.SYMBOLIC, 5),
]
NATURE_WEIGHTS = [(Nature.PLEDGE, 60), (Nature.DEMAND, 15), (Nature.AGREEMENT, 25)]
UNIT_BY_KIND = {
    CommitmentKind.DEFENCE_SPENDING: [(Unit.PERCENT_OF_GDP, 6), (Unit.JPY, 2), (Unit.NONE, 2)],
    CommitmentKind.INVESTMENT: [(Unit.USD, 8), (Unit.JPY, 1), (Unit.NONE, 1)],
    CommitmentKind.PURCHASE: [(Unit.USD, 5), (Unit.UNITS, 3), (Unit.NONE, 2)],
    CommitmentKind.TRADE: [(Unit.PERCENT, 7), (Unit.NONE, 3)],
    CommitmentKind.ECONOMIC_SECURITY: [(Unit.USD, 3), (Unit.NONE, 7)],
    CommitmentKind.TECHNOLOGY: [(Unit.USD, 4), (Unit.NONE, 6)],
    CommitmentKind.SECURITY: [(Unit.UNITS, 2), (Unit.NONE, 8)],
    CommitmentKind.SYMBOLIC: [(Unit.UNITS, 5), (Unit.NONE, 5)],
}
UNIT_LABELS = [
    "aircraft",
    "pick-up trucks",
    "cherry trees",
    "F-35 jets",
    "reactors",
    "ships",
    "Tomahawk missiles",
    "LNG cargoes",
    "exchange students",
]
SOURCE_KIND_WEIGHTS = [
    (SourceKind.NEWS_REPORT, 55),
    (SourceKind.ANALYSIS, 15),
    (SourceKind.OPINION, 10),
    (SourceKind.EXPLAINER, 10),
    (SourceKind.OFFICIAL, 10),
]
# Dates other than deadlines: mostly to the day; deadlines: mostly to the month, year or fiscal year.
DATE_PRECISIONS = [
    (DatePrecision.DAY, 75),
    (DatePrecision.MONTH, 15),
    (DatePrecision.QUARTER, 4),
    (DatePrecision.YEAR, 6),
]
DEADLINE_PRECISIONS = [
    (DatePrecision.DAY, 12),
    (DatePrecision.MONTH, 28),
    (DatePrecision.QUARTER, 10),
    (DatePrecision.YEAR, 22),
    (DatePrecision.FISCAL_YEAR, 28),
]
# Where a status goes next, weighted: most commitments get under way; some stall; some are settled.
STATUS_NEXT = {
    Status.NOT_RATED: [
        (Status.IN_THE_WORKS, 70),
        (Status.STALLED, 15),
        (Status.KEPT, 5),
        (Status.BROKEN, 5),
        (Status.COMPROMISE, 5),
    ],
    Status.IN_THE_WORKS: [(Status.STALLED, 30), (Status.KEPT, 30), (Status.COMPROMISE, 25), (Status.BROKEN, 15)],
    Status.STALLED: [(Status.IN_THE_WORKS, 55), (Status.BROKEN, 30), (Status.COMPROMISE, 15)],
    Status.KEPT: [(Status.COMPROMISE, 50), (Status.IN_THE_WORKS, 50)],
    Status.COMPROMISE: [(Status.IN_THE_WORKS, 50), (Status.KEPT, 30), (Status.BROKEN, 20)],
    Status.BROKEN: [(Status.IN_THE_WORKS, 70), (Status.COMPROMISE, 30)],
}
FORMALITIES = list(Formality)
RELATIONS = list(RelationKind)


def _pick(rng: random.Random, weighted):
    values = [value for value, _ in weighted]
    return rng.choices(values, weights=[weight for _, weight in weighted])[0]


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _dated(rng: random.Random, first: datetime.date, last: datetime.date, precisions=DATE_PRECISIONS):
    """A (date, precision) pair: the first day of a period that starts between `first` and `last` if it can."""
    precision = _pick(rng, precisions).value
    day = period_start(_day_between(rng, first, last), precision)
    if day < first:  # a coarse period would start before `first`: say the day instead
        day, precision = _day_between(rng, first, last), DatePrecision.DAY.value
    return day, precision


def _deadline(rng: random.Random, first: datetime.date, last: datetime.date):
    precision = _pick(rng, DEADLINE_PRECISIONS).value
    return period_end(_day_between(rng, first, last), precision), precision


# ---------------------------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    commitments: int = DEFAULTS["commitments"]
    updates: int = DEFAULTS["updates"]
    quotes: int = DEFAULTS["quotes"]
    sources: int = DEFAULTS["sources"]
    actors: int = DEFAULTS["actors"]

    @classmethod
    def scaled(cls, scale: float, **explicit) -> "Counts":
        counts = {name: max(1, round(default * scale)) for name, default in DEFAULTS.items()}
        counts["actors"] = max(len(CORE_ACTORS) + 4, counts["actors"])
        counts.update({name: value for name, value in explicit.items() if value is not None})
        return cls(**counts)


@dataclass
class PlannedSource:
    kinds: list
    sentences: list[str]
    published_on: datetime.date | None
    published_precision: str
    pk: int | None = None


@dataclass
class Plan:
    """What one commitment gets: its row, its quotes (source index, text, …) and its updates."""

    commitment: Commitment
    quotes: list = field(default_factory=list)
    updates: list = field(default_factory=list)


class Generator:
    def __init__(self, counts: Counts, seed: int, log=lambda message: None):
        self.counts = counts
        self.rng = random.Random(seed)
        self.seed = seed
        self.log = log
        self.totals = dict.fromkeys(("actors", "sources", "commitments", "quotes", "updates", "links"), 0)

    # -- words --------------------------------------------------------------------------------------------------

    def _person(self) -> str:
        actor = self.rng.choice(self.people)
        return actor.name

    def _fill(self, template: str, kind) -> str:
        rng = self.rng
        objects = OBJECTS[kind]
        values = {
            "jp": rng.choice(["Japanese", "Government", "Senior", "Ministry", "Trade"]),
            "us": rng.choice(["US", "American", "Commerce Department", "Pentagon", "Trade"]),
            "verb": rng.choice(VERBS),
            "obj": rng.choice(objects),
            "obj2": rng.choice(objects),
            "when": rng.choice(WHEN),
            "person": self._person(),
            "city": rng.choice(CITIES),
            "weekday": rng.choice(WEEKDAYS),
            "adj": rng.choice(ADJECTIVES),
            "doc": rng.choice(DOCUMENTS),
            "n": rng.randint(2, 40),
            "pct": rng.randint(2, 75),
            "fx": rng.randint(138, 162),
            "amount": f"${rng.choice([1, 2, 5, 8, 12, 20, 40, 75, 120, 550])} billion",
            "state": rng.choice(STATES),
            "Party": rng.choice(["Japan", "Tokyo", "Washington", "The US", "Takaichi", "Trump"]),
        }
        text = template.format(**values)
        return text[0].upper() + text[1:]

    def _sentence_pools(self):
        """A few hundred sentences per kind: each source's text is drawn from the pools of its kinds."""
        self.pools = {
            kind: [self._fill(self.rng.choice(GENERAL_TEMPLATES), kind) for _ in range(400)] for kind in CommitmentKind
        }

    # -- actors -------------------------------------------------------------------------------------------------

    def make_actors(self):
        rng = self.rng
        existing = {actor.slug: actor for actor in Actor.objects.all()}
        taken_names = {actor.name for actor in existing.values()}
        planned = []  # (slug, name, kind, country, role, represents slug)
        for slug, name, kind, country, represents in CORE_ACTORS:
            planned.append((slug, name, kind, country, "", represents))
        names = set()
        while len(planned) < self.counts.actors:
            roll = rng.random()
            if roll < 0.55:
                japanese = rng.random() < 0.5
                given, surnames = (JP_GIVEN, JP_SURNAMES) if japanese else (US_GIVEN, US_SURNAMES)
                name = f"{rng.choice(given)} {rng.choice(surnames)}"
                country = Country.JAPAN if japanese else Country.UNITED_STATES
                if rng.random() < 0.25:
                    roles, represents = ROLES_ANALYST, None
                else:
                    roles, represents = (ROLES_JP, "japan") if japanese else (ROLES_US, "united-states")
                role = rng.choice(roles).format(area=rng.choice(AREAS))
                kind = ActorKind.PERSON
            elif roll < 0.85:
                japanese = rng.random() < 0.5
                prefixes, suffixes = JP_COMPANY if japanese else US_COMPANY
                name = f"{rng.choice(prefixes)} {rng.choice(suffixes)}"
                country = Country.JAPAN if japanese else Country.UNITED_STATES
                role, represents, kind = "A company named in reports on the commitments", None, ActorKind.COMPANY
            elif roll < 0.95:
                name = rng.choice(MEDIA)
                country, role, represents, kind = Country.OTHER, "News organisation", None, ActorKind.MEDIA
            else:
                name = f"{rng.choice(['Japan–US', 'Pacific', 'Indo-Pacific', 'Trans-Pacific'])} {rng.choice(['Business Council', 'Security Forum', 'Trade Association', 'Energy Dialogue'])}"
                country, role, represents, kind = Country.OTHER, "Organisation", None, ActorKind.ORGANISATION
            if name in names and kind == ActorKind.PERSON:  # another person of that name: a middle initial
                first, last = name.split(" ", 1)
                name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
            if name in names:
                name = f"{name} ({len(planned) + 1})"
            names.add(name)
            planned.append((slugify(name)[:190], name, kind, country, role, represents))
        new = []
        self.actors = []
        for slug, name, kind, country, role, represents in planned:
            if slug in existing:
                self.actors.append(existing[slug])
                continue
            if name in taken_names:
                name = f"{name} (synthetic)"
            actor = Actor(slug=slug, name=name, kind=kind, country=country, role=role)
            actor.represents_slug = represents
            new.append(actor)
            self.actors.append(actor)
        Actor.objects.bulk_create(new, batch_size=BATCH_SIZE)
        by_slug = {actor.slug: actor for actor in self.actors}
        represented = []
        for actor in new:
            if actor.represents_slug:
                actor.represents = by_slug[actor.represents_slug]
                represented.append(actor)
        Actor.objects.bulk_update(represented, ["represents"], batch_size=BATCH_SIZE)
        self.totals["actors"] = len(new)
        self.people = [actor for actor in self.actors if actor.kind == ActorKind.PERSON] or self.actors
        japan_side = [a for a in self.actors if a.country == Country.JAPAN and a.kind != ActorKind.PERSON]
        us_side = [a for a in self.actors if a.country == Country.UNITED_STATES and a.kind != ActorKind.PERSON]
        # The governments pledge most; every other actor now and then.
        self.japan_side = [by_slug["japan"]] * 6 + japan_side
        self.us_side = [by_slug["united-states"]] * 6 + us_side
        self.log(f"actors: {len(new)} new, {len(self.actors) - len(new)} reused")

    # -- sources ------------------------------------------------------------------------------------------------

    def _source_text(self, kinds) -> list[list[str]]:
        """Paragraphs of 2–5 sentences, 3–8 KB in all: sentences drawn from the pools of the source's kinds."""
        rng = self.rng
        target = rng.randint(3000, 8000)
        paragraphs, size = [], 0
        while size < target:
            paragraph = [rng.choice(self.pools[rng.choice(kinds)]) for _ in range(rng.randint(2, 5))]
            if rng.random() < 0.3:  # a sentence of its own, found in no other source
                paragraph.append(self._fill(rng.choice(GENERAL_TEMPLATES), rng.choice(kinds)))
            paragraphs.append(paragraph)
            size += sum(len(sentence) + 1 for sentence in paragraph) + 1
        return paragraphs

    def make_sources(self):
        rng = self.rng
        kinds = list(CommitmentKind)
        self.sources = []
        self.sources_by_kind = {kind: [] for kind in kinds}
        rows = []
        for index in range(self.counts.sources):
            own_kinds = rng.sample(kinds, rng.choice([1, 1, 2, 2, 3]))
            paragraphs = self._source_text(own_kinds)
            text = "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)
            if rng.random() < 0.9:
                published_on, precision = _dated(
                    rng, FIRST_DAY, LAST_DAY, [(DatePrecision.DAY, 85), (DatePrecision.MONTH, 15)]
                )
                date_note = "" if precision == DatePrecision.DAY else "No dateline: dated to the month from the text."
            else:
                published_on, precision, date_note = None, "", "The text gives no date."
            title = "" if rng.random() < 0.1 else self._fill(rng.choice(HEADLINES), own_kinds[0])
            kind = _pick(rng, SOURCE_KIND_WEIGHTS)
            rows.append(
                Source(
                    title=title[:300],
                    description=f"{kind.label} on {rng.choice(OBJECTS[own_kinds[0]])}",
                    kind=kind,
                    publisher=rng.choice(MEDIA) if rng.random() < 0.6 else "",
                    author=self._person() if rng.random() < 0.5 else "",
                    url=f"https://example.org/scale-data/{self.seed}/{index + 1}",
                    published_on=published_on,
                    published_precision=precision,
                    date_note=date_note,
                    text=text,
                    text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                )
            )
            planned = PlannedSource(
                own_kinds, [s for paragraph in paragraphs for s in paragraph], published_on, precision
            )
            self.sources.append(planned)
            for kind in own_kinds:
                self.sources_by_kind[kind].append(index)
            if len(rows) == BATCH_SIZE:
                self._write_sources(rows)
                rows = []
        self._write_sources(rows)
        self.totals["sources"] = len(self.sources)
        self.log(f"sources: {len(self.sources)}")

    def _write_sources(self, rows):
        if not rows:
            return
        created = Source.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        start = len(self.sources) - len(rows)
        for offset, source in enumerate(created):
            self.sources[start + offset].pk = source.pk

    # -- commitments, quotes and updates --------------------------------------------------------------------------

    def _skewed_counts(self, total: int, n: int) -> list[int]:
        """`total` items spread over `n` commitments, a few getting many (log-normal weights)."""
        weights = [self.rng.lognormvariate(0, 0.7) for _ in range(n)]
        counts = [0] * n
        for index in self.rng.choices(range(n), weights=weights, k=total):
            counts[index] += 1
        return counts

    def _values(self, unit: str):
        """(baseline, target, qualifier, approximate) for a unit."""
        rng = self.rng
        baseline: Decimal | None
        if unit == Unit.NONE:
            return None, None, "", False
        if unit == Unit.PERCENT_OF_GDP:
            baseline = Decimal(rng.randint(9, 19)) / 10
            target = Decimal(rng.randint(15, 35)) / 10
        elif unit == Unit.PERCENT:
            baseline = Decimal(rng.randint(20, 275)) / 10
            target = Decimal(rng.choice([0, 2.5, 5, 10, 15]))
        elif unit == Unit.USD:
            baseline = Decimal(0) if rng.random() < 0.5 else None
            target = Decimal(rng.choice([1, 2, 5, 8, 10, 20, 50, 100, 250, 550])) * 10**9
        elif unit == Unit.JPY:
            baseline = Decimal(rng.randint(5, 9)) * 10**12
            target = Decimal(rng.randint(10, 43)) * 10**12
        else:
            baseline = Decimal(0) if rng.random() < 0.3 else None
            target = Decimal(rng.choice([10, 50, 100, 250, 400, 1000]))
        if rng.random() < 0.4:
            baseline = None
        qualifier = _pick(
            rng,
            [
                (TargetQualifier.EXACTLY, 5),
                (TargetQualifier.AT_LEAST, 3),
                (TargetQualifier.ABOUT, 1),
                (TargetQualifier.AT_MOST, 1 if unit == Unit.PERCENT else 0),
            ],
        ).value
        return baseline, target, qualifier, baseline is not None and rng.random() < 0.3

    def _revised_target(self, unit: str, current: Decimal | None) -> Decimal:
        rng = self.rng
        base = current if current else Decimal(rng.randint(1, 50))
        value = (base * Decimal(rng.choice([50, 75, 80, 120, 150, 200])) / 100).quantize(Decimal("0.1"))
        if Unit(unit).is_percentage:
            value = min(value, Decimal(100))
        return value

    def _plan_commitment(self, index: int, n_quotes: int, n_updates: int, slugs: set) -> Plan:
        rng = self.rng
        kind = _pick(rng, KIND_WEIGHTS)
        nature = _pick(rng, NATURE_WEIGHTS)
        # Japan mostly pledges to the US, and the US mostly demands of Japan; now and then the other way round.
        japan_first = (rng.random() < 0.8) != (nature == Nature.DEMAND)
        pledged_by = rng.choice(self.japan_side if japan_first else self.us_side)
        pledged_to = None if rng.random() < 0.3 else rng.choice(self.us_side if japan_first else self.japan_side)
        unit = _pick(rng, UNIT_BY_KIND[kind]).value
        baseline, target, qualifier, approximate = self._values(unit)
        obj = rng.choice(OBJECTS[kind])
        by_short = "Japan" if pledged_by.country == Country.JAPAN else "The US"
        to_short = "the US" if by_short == "Japan" else "Japan"
        verb = rng.choice(VERBS)
        if nature == Nature.DEMAND:
            title = f"{by_short} urges {to_short} to {verb} {obj}"
        elif nature == Nature.AGREEMENT:
            title = f"{by_short}–{to_short.removeprefix('the ')} agreement on {obj}"
        else:
            title = f"{by_short} to {verb} {obj}"
        title += (
            f" ({rng.choice(['phase', 'tranche', 'round', 'package'])} {rng.randint(1, 40)})"
            if rng.random() < 0.7
            else ""
        )
        slug = f"{slugify(title)[:80].strip('-')}-{index + 1}"
        while slug in slugs:
            slug += "-x"
        slugs.add(slug)
        announced_on = announced_precision = None
        if rng.random() < 0.88:
            announced_on, announced_precision = _dated(rng, FIRST_DAY, LAST_DAY - datetime.timedelta(days=120))
        baseline_as_of = baseline_as_of_precision = None
        if baseline is not None and rng.random() < 0.7:
            baseline_as_of, baseline_as_of_precision = _dated(
                rng,
                FIRST_DAY - datetime.timedelta(days=365),
                announced_on or LAST_DAY,
                [(DatePrecision.MONTH, 6), (DatePrecision.YEAR, 3), (DatePrecision.QUARTER, 1)],
            )
        deadline = deadline_precision = None
        if rng.random() < 0.85:
            deadline, deadline_precision = _deadline(rng, max(DEADLINES[0], announced_on or FIRST_DAY), DEADLINES[1])
        summary = " ".join(
            [
                f"{pledged_by.name} {'calls for' if nature == Nature.DEMAND else 'commits to'} {obj}"
                f"{' for ' + pledged_to.name if pledged_to else ''}."
            ]
            + [self._fill(rng.choice(GENERAL_TEMPLATES), kind) for _ in range(rng.randint(1, 3))]
        )
        commitment = Commitment(
            slug=slug,
            title=title[:200],
            summary=summary,
            kind=kind,
            nature=nature,
            pledged_by=pledged_by,
            pledged_to=pledged_to,
            status=Status.NOT_RATED,
            formality=rng.choice([Formality.STATEMENT, Formality.PLEDGE]),
            unit=unit,
            unit_label=rng.choice(UNIT_LABELS) if unit == Unit.UNITS else "",
            baseline_value=baseline,
            baseline_is_approximate=approximate,
            baseline_as_of=baseline_as_of,
            baseline_as_of_precision=baseline_as_of_precision or "",
            target_value=target,
            target_qualifier=qualifier,
            deadline=deadline,
            deadline_precision=deadline_precision or "",
            announced_on=announced_on,
            announced_precision=announced_precision or "",
            note=self._fill(rng.choice(GENERAL_TEMPLATES), kind) if rng.random() < 0.2 else "",
        )
        plan = Plan(commitment)
        # The handful of sources that cover it: its quotes and updates cite them.
        candidates = self.sources_by_kind[kind] or range(len(self.sources))
        own_sources = [rng.choice(candidates) for _ in range(rng.randint(1, 6))]
        for _ in range(n_quotes):
            plan.quotes.append(self._plan_quote(rng.choice(own_sources)))
        self._plan_updates(plan, n_updates, own_sources)
        return plan

    def _plan_quote(self, source_index: int) -> dict:
        rng = self.rng
        source = self.sources[source_index]
        sentence = rng.choice(source.sentences)
        words = sentence.split(" ")
        if len(words) > 12 and rng.random() < 0.5:  # part of a sentence, as quotes often are
            start = rng.randint(0, len(words) - 8)
            sentence = " ".join(words[start : start + rng.randint(6, len(words) - start)])
        said_on = said_precision = None
        if source.published_on and rng.random() < 0.6:
            said_on, said_precision = _dated(
                rng,
                source.published_on - datetime.timedelta(days=30),
                source.published_on,
                [(DatePrecision.DAY, 8), (DatePrecision.MONTH, 2)],
            )
        return {
            "source": source_index,
            "text": sentence,
            "said_on": said_on,
            "said_precision": said_precision or "",
            "speaker": rng.choice(self.people) if rng.random() < 0.7 else None,
            "note": "Reported speech; the source paraphrases around it." if rng.random() < 0.05 else "",
            "also": rng.random() < 0.2,
        }

    def _plan_updates(self, plan: Plan, n: int, own_sources: list[int]):
        """`n` updates, oldest first, each old value the running value before it (as services.record_update)."""
        rng = self.rng
        commitment = plan.commitment
        first = commitment.announced_on or FIRST_DAY
        dated = sorted((_dated(rng, first, LAST_DAY) for _ in range(n)), key=lambda pair: pair[0])
        state: dict[str, Any] = {
            "status": commitment.status,
            "formality": commitment.formality,
            "target_value": commitment.target_value,
            "deadline": commitment.deadline,
            "deadline_precision": commitment.deadline_precision,
        }
        has_measure = commitment.unit != Unit.NONE
        quotes_by_source: dict[Any, list[int]] = {}
        for number, quote in enumerate(plan.quotes):
            quotes_by_source.setdefault(quote["source"], []).append(number)
        revisions = 0
        for happened_on, precision in dated:
            update = {
                "happened_on": happened_on,
                "happened_precision": precision,
                "date_is_report_date": rng.random() < 0.1,
                "source": None,
                "quote": None,
            }
            changes_status = rng.random() < 0.35
            if changes_status:
                new = _pick(rng, STATUS_NEXT[state["status"]]).value
                update.update(old_status=state["status"], new_status=new)
                state["status"] = new
            if rng.random() < 0.15:
                higher = [
                    f.value
                    for f in FORMALITIES
                    if FORMALITIES.index(f) > FORMALITIES.index(Formality(state["formality"]))
                ]
                new = (
                    rng.choice(higher)
                    if higher and rng.random() < 0.85
                    else rng.choice([f.value for f in FORMALITIES if f.value != state["formality"]])
                )
                update.update(old_formality=state["formality"], new_formality=new)
                state["formality"] = new
            if has_measure and rng.random() < 0.08:
                new = self._revised_target(commitment.unit, state["target_value"])
                update.update(old_target_value=state["target_value"], new_target_value=new)
                state["target_value"] = new
            if rng.random() < 0.10:
                start = max(happened_on, DEADLINES[0])
                new, new_precision = _deadline(rng, start, max(start, DEADLINES[1]))
                update.update(
                    old_deadline=state["deadline"],
                    old_deadline_precision=state["deadline_precision"],
                    new_deadline=new,
                    new_deadline_precision=new_precision,
                )
                state["deadline"], state["deadline_precision"] = new, new_precision
            if has_measure and rng.random() < 0.25:
                reference = state["target_value"] or Decimal(100)
                update["measured_value"] = (reference * Decimal(rng.randint(5, 110)) / 100).quantize(Decimal("0.01"))
                if rng.random() < 0.7:
                    update["measured_as_of"], update["measured_precision"] = period_start(happened_on, "month"), "month"
            if changes_status or rng.random() < 0.7:
                update["source"] = rng.choice(own_sources)
                quotes = quotes_by_source.get(update["source"])
                if quotes and rng.random() < 0.3:
                    update["quote"] = rng.choice(quotes)
            update["note"] = rng.choice(self.pools[commitment.kind])
            revisions += any(key.startswith("new_") for key in update)
            plan.updates.append(update)
        for name, value in state.items():
            setattr(commitment, name, value)
        commitment.revision = 1 + revisions

    def make_commitments(self):
        rng = self.rng
        total = self.counts.commitments
        quote_counts = self._skewed_counts(self.counts.quotes, total)
        update_counts = self._skewed_counts(self.counts.updates, total)
        slugs = set(Commitment.objects.values_list("slug", flat=True))
        self.commitment_ids = []
        for start in range(0, total, CHUNK):
            plans = [
                self._plan_commitment(index, quote_counts[index], update_counts[index], slugs)
                for index in range(start, min(total, start + CHUNK))
            ]
            created = Commitment.objects.bulk_create([plan.commitment for plan in plans], batch_size=BATCH_SIZE)
            self.commitment_ids += [commitment.pk for commitment in created]
            self._write_quotes_and_updates(plans)
            self.log(f"commitments: {len(self.commitment_ids)} of {total}")
        self.totals["commitments"] = total
        # Related commitments: about one link for every five commitments.
        links, pairs = [], set()
        for _ in range(total // 5):
            a, b = rng.randrange(total), rng.randrange(total)
            if a == b or (a, b) in pairs:
                continue
            pairs.add((a, b))
            links.append(
                CommitmentLink(
                    from_commitment_id=self.commitment_ids[a],
                    to_commitment_id=self.commitment_ids[b],
                    relation=rng.choice(RELATIONS),
                )
            )
        CommitmentLink.objects.bulk_create(links, batch_size=BATCH_SIZE)
        self.totals["links"] = len(links)

    def _write_quotes_and_updates(self, plans: list[Plan]):
        """Quotes, their links to commitments and the updates of `plans`: plain rows, the bulk of the data.

        Quotes get their ids here (the next free ones), so that updates and links can point at them without
        reading anything back.
        """
        rng = self.rng
        quotes, links, updates = [], [], []
        for plan in plans:
            commitment_id = plan.commitment.pk
            for planned in plan.quotes:
                self.next_quote_id += 1
                planned["pk"] = self.next_quote_id
                speaker = planned["speaker"]
                quotes.append(
                    (
                        self.next_quote_id,
                        planned["text"],
                        self.sources[planned["source"]].pk,
                        speaker.pk if speaker else None,
                        planned["said_on"],
                        planned["said_precision"],
                        planned["note"],
                    )
                )
                links.append((self.next_quote_id, commitment_id))
                if planned["also"]:  # it supports an earlier commitment too
                    other = self.commitment_ids[rng.randrange(len(self.commitment_ids))]
                    if other != commitment_id:
                        links.append((self.next_quote_id, other))
            for planned in plan.updates:
                source, quote = planned["source"], planned["quote"]
                updates.append(
                    (
                        commitment_id,
                        *(planned.get(name, UPDATE_DEFAULTS[name]) for name in UPDATE_COLUMNS),
                        self.sources[source].pk if source is not None else None,
                        plan.quotes[quote]["pk"] if quote is not None else None,
                    )
                )
        insert_rows(Quote, QUOTE_COLUMNS, quotes)
        insert_rows(Quote.commitments.through, ("quote_id", "commitment_id"), links)
        insert_rows(StatusUpdate, ("commitment_id", *UPDATE_COLUMNS, "source_id", "quote_id"), updates)
        self.totals["quotes"] += len(quotes)
        self.totals["updates"] += len(updates)

    def run(self) -> dict:
        with transaction.atomic():
            self.next_quote_id = Quote.objects.aggregate(last=Max("id"))["last"] or 0
            self.make_actors()
            self._sentence_pools()
            self.make_sources()
            self.make_commitments()
            # Quotes were given their ids here: the database's sequence must start after them.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), [Quote]):
                    cursor.execute(statement)
        refresh_statistics()
        data_changed()
        return self.totals


QUOTE_COLUMNS = ("id", "text", "source_id", "speaker_id", "said_on", "said_precision", "note")
# A status update's columns, and the value of each that an update leaves out.
UPDATE_DEFAULTS = {
    "happened_on": None,
    "happened_precision": DatePrecision.DAY.value,
    "date_is_report_date": False,
    "note": "",
    "old_status": "",
    "new_status": "",
    "old_formality": "",
    "new_formality": "",
    "old_target_value": None,
    "new_target_value": None,
    "old_deadline": None,
    "old_deadline_precision": "",
    "new_deadline": None,
    "new_deadline_precision": "",
    "old_title": "",
    "new_title": "",
    "measured_value": None,
    "measured_as_of": None,
    "measured_precision": "",
    "old_instrument": "",
    "new_instrument": "",
    "measured_unit": "",
    "measured_is_approximate": False,
    "measured_basis": "",
    "basis_changed": False,
    "money_stage": "",
    "recorded_at": None,
    "changed_at": None,
}
UPDATE_COLUMNS = tuple(UPDATE_DEFAULTS)


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain rows into `model`'s table: COPY on PostgreSQL, a prepared INSERT on SQLite.

    What bulk_create does, without building a model instance and preparing every value through its field for
    each of 100,000 rows: the values are already what the columns hold (str, int, bool, date, Decimal, None).
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            for start in range(0, len(rows), BATCH_SIZE * 10):
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows[start : start + BATCH_SIZE * 10]
                )


def refresh_statistics() -> None:
    """What a DBA does after a bulk load: fresh planner statistics (ANALYZE) and, on PostgreSQL, a VACUUM that marks
    the new pages all-visible (index-only scans). Without it the planner guesses from an empty table until
    autovacuum comes round, and picks hash joins over whole tables for a page that needs ten rows."""
    tables = [model._meta.db_table for model in MODELS]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
        elif connection.in_atomic_block:  # a test's transaction, say: VACUUM cannot run inside one
            cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(table) for table in tables)}")
        else:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(connection.ops.quote_name(table) for table in tables)}")


def tracker_rows() -> int:
    return sum(model.objects.count() for model in (Actor, Source, Commitment, Quote, StatusUpdate))


@transaction.atomic
def flush():
    """Delete every tracker row and its django-simple-history records (users, groups and logins are kept).

    Plain DELETEs, table by table: the ORM's delete would load every row to send signals and record history.
    """
    history = [model.history.model for model in (CommitmentLink, StatusUpdate, Quote, Commitment, Source, Actor)]
    with connection.cursor() as cursor:
        for model in (*MODELS, *history):
            if model is Actor:
                cursor.execute(f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET represents_id = NULL")
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    data_changed()
