"""Dates, fiscal years, amounts, percentages and countdowns as a Japanese newsroom writes them, on /ja/ pages; the
English wording unchanged at the root."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tracker.dates import DatePrecision, describe, japanese_era_year
from tracker.models import Commitment, Status, Unit

DAY = datetime.date


@pytest.fixture
def japanese():
    with translation.override("ja"):
        yield


@pytest.mark.parametrize(
    ("precision", "day", "english", "japanese"),
    [
        ("day", DAY(2025, 10, 28), "28 October 2025", "2025年10月28日"),
        ("month", DAY(2026, 3, 1), "March 2026", "2026年3月"),
        ("quarter", DAY(2022, 10, 1), "Q4 2022", "2022年第4四半期"),
        ("year", DAY(2026, 1, 1), "2026", "2026年"),
        ("fiscal_year", DAY(2025, 4, 1), "fiscal 2025", "2025年度（令和7年度）"),
        ("fiscal_year", DAY(2019, 4, 1), "fiscal 2019", "2019年度（令和元年度）"),
        ("fiscal_year", DAY(2018, 4, 1), "fiscal 2018", "2018年度（平成30年度）"),
    ],
)
def test_a_date_at_its_precision_in_both_languages(precision, day, english, japanese):
    with translation.override("en-gb"):
        assert describe(day, precision) == english
    with translation.override("ja"):
        assert describe(day, precision) == japanese


@pytest.mark.parametrize(
    ("precision", "day", "english", "japanese"),
    [
        ("month", DAY(2026, 3, 31), "by March 2026 (end of fiscal 2025)", "2026年3月末まで（2025年度末）"),
        ("day", DAY(2026, 3, 31), "by 31 March 2026", "2026年3月31日まで"),
        (
            "fiscal_year",
            DAY(2028, 3, 31),
            "by fiscal 2027 (ends 31 March 2028)",
            "2027年度（令和9年度）末まで（2028年3月31日）",
        ),
        ("year", DAY(2026, 12, 31), "by 2026 (31 December 2026)", "2026年末まで（2026年12月31日）"),
        ("quarter", DAY(2026, 9, 30), "by Q3 2026 (30 September 2026)", "2026年第3四半期末まで（2026年9月30日）"),
    ],
)
def test_a_deadline_in_both_languages(precision, day, english, japanese):
    with translation.override("en-gb"):
        assert DatePrecision(precision).describe_deadline(day) == english
    with translation.override("ja"):
        assert DatePrecision(precision).describe_deadline(day) == japanese


def test_the_era_year():
    assert [japanese_era_year(year) for year in (1989, 2018, 2019, 2020, 2025)] == [
        "平成元",
        "平成30",
        "令和元",
        "令和2",
        "令和7",
    ]


@pytest.mark.parametrize(
    ("unit", "value", "english", "japanese"),
    [
        (Unit.USD, "550000000000", "$550 billion", "5,500億ドル"),
        (Unit.USD, "36000000000", "$36 billion", "360億ドル"),
        (Unit.USD, "1500000000000", "$1.5 trillion", "1.5兆ドル"),
        (Unit.USD, "600000000", "$600 million", "6億ドル"),
        (Unit.JPY, "1100000000000", "¥1.1 trillion", "1.1兆円"),
        (Unit.JPY, "9900000000000", "¥9.9 trillion", "9.9兆円"),
        (Unit.PERCENT_OF_GDP, "2", "2% of GDP", "国内総生産(GDP)比2%"),
        (Unit.PERCENT_OF_GDP, "3.5", "3.5% of GDP", "国内総生産(GDP)比3.5%"),
    ],
)
def test_amounts_count_in_each_languages_units(unit, value, english, japanese):
    with translation.override("en-gb"):
        assert unit.format(Decimal(value)) == english
    with translation.override("ja"):
        assert unit.format(Decimal(value)) == japanese


def _pledge(**fields) -> Commitment:
    defaults = {
        "title": "t",
        "unit": Unit.PERCENT_OF_GDP,
        "target_value": Decimal(2),
        "target_qualifier": "at_least",
        "baseline_value": Decimal("1.8"),
        "baseline_is_approximate": True,
        "deadline": DAY(2026, 3, 31),
        "deadline_precision": "month",
        "status": Status.IN_THE_WORKS,
        "lapses_on": DAY(2026, 7, 31),
    }
    return Commitment(**{**defaults, **fields})


def test_a_commitments_target_countdown_and_lapse_in_japanese(japanese):
    pledge = _pledge()
    assert pledge.target_display == "少なくとも国内総生産(GDP)比2%（基準値：約1.8%）"
    assert pledge.deadline_display == "2026年3月末まで（2025年度末）"
    assert pledge.deadline_distance(DAY(2025, 12, 1)) == "あと120日"
    assert pledge.deadline_distance(DAY(2026, 3, 31)) == "本日が期限"
    assert pledge.deadline_distance(DAY(2026, 4, 30)) == "期限から30日経過"
    assert pledge.lapse_display(DAY(2026, 7, 13)) == "あと18日で失効（2026年7月31日）"
    assert pledge.lapse_display(DAY(2026, 8, 1)) == "2026年7月31日に失効"
    assert _pledge(deadline=None, deadline_precision="").deadline_display == "期限の定めなし"


def test_the_same_commitment_reads_as_before_in_english():
    with translation.override("en-gb"):
        pledge = _pledge()
        assert pledge.target_display == "at least 2% of GDP, from about 1.8%"
        assert pledge.deadline_distance(DAY(2025, 12, 1)) == "120 days left"
        assert pledge.deadline_distance(DAY(2026, 3, 30)) == "1 day left"
        assert pledge.deadline_distance(DAY(2026, 4, 30)) == "deadline passed 30 days ago"
        assert pledge.lapse_display(DAY(2026, 7, 13)) == "lapses in 18 days (31 July 2026)"


def test_the_japanese_pages_write_dates_amounts_and_countdowns_the_japanese_way(client, seeded, fixed_today):
    overview = client.get("/ja/").content.decode()
    assert "5,500億ドル" in overview
    assert "国内総生産(GDP)比2%" in overview
    assert "2026年3月末まで（2025年度末）" in overview
    detail = client.get("/ja/commitments/defence-2pct-gdp/").content.decode()
    assert "2026年3月末まで（2025年度末）" in detail
    assert '<time datetime="2025-10-28">2025年10月28日</time>' in detail
    english = client.get("/commitments/defence-2pct-gdp/").content.decode()
    assert "by March 2026 (end of fiscal 2025)" in english
    assert '<time datetime="2025-10-28">28 October 2025</time>' in english
