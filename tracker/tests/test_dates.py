import datetime

from tracker.dates import DatePrecision, japanese_fiscal_year


def test_it_ends_fiscal_2027_on_31_march_2028():
    start, end = DatePrecision.FISCAL_YEAR.period(datetime.date(2027, 4, 1))
    assert (start, end) == (datetime.date(2027, 4, 1), datetime.date(2028, 3, 31))
    assert DatePrecision.FISCAL_YEAR.describe(end) == "fiscal 2027"


def test_it_puts_january_to_march_in_the_previous_fiscal_year():
    assert japanese_fiscal_year(datetime.date(2026, 3, 31)) == 2025
    assert japanese_fiscal_year(datetime.date(2026, 4, 1)) == 2026


def test_it_writes_deadlines_for_people():
    assert DatePrecision.MONTH.describe_deadline(datetime.date(2026, 3, 31)) == "by March 2026 (end of fiscal 2025)"
    assert (
        DatePrecision.FISCAL_YEAR.describe_deadline(datetime.date(2028, 3, 31)) == "by fiscal 2027 (ends 31 March 2028)"
    )
    assert DatePrecision.YEAR.describe_deadline(datetime.date(2026, 12, 31)) == "by 2026 (31 December 2026)"
    assert DatePrecision.DAY.describe_deadline(datetime.date(2025, 10, 28)) == "by 28 October 2025"


def test_it_knows_quarter_boundaries():
    assert DatePrecision.QUARTER.period(datetime.date(2022, 11, 15)) == (
        datetime.date(2022, 10, 1),
        datetime.date(2022, 12, 31),
    )
    assert DatePrecision.QUARTER.describe(datetime.date(2022, 10, 1)) == "Q4 2022"


def test_an_event_known_only_to_its_month_counts_once_the_month_is_over():
    assert DatePrecision.MONTH.last_complete_start(datetime.date(2025, 10, 20)) == datetime.date(2025, 9, 1)
    assert DatePrecision.MONTH.last_complete_start(datetime.date(2025, 10, 31)) == datetime.date(2025, 10, 1)
    assert DatePrecision.DAY.last_complete_start(datetime.date(2025, 10, 20)) == datetime.date(2025, 10, 20)
    assert DatePrecision.YEAR.last_complete_start(datetime.date(2025, 10, 20)) == datetime.date(2024, 1, 1)
    assert DatePrecision.FISCAL_YEAR.last_complete_start(datetime.date(2026, 3, 31)) == datetime.date(2025, 4, 1)
