"""The SVG measure charts: pure functions of a commitment and its measurements (unsaved objects, no database)."""

import datetime
import re
from decimal import Decimal

from django.utils.safestring import SafeString

from tracker import charts
from tracker.models import Commitment, StatusUpdate


def _defence(**fields) -> Commitment:
    values = {
        "slug": "defence-2pct-gdp",
        "title": "Defence spending of 2% of GDP",
        "unit": "pct_gdp",
        "baseline_value": Decimal("1.8"),
        "baseline_is_approximate": True,
        "baseline_as_of": datetime.date(2025, 10, 1),
        "baseline_as_of_precision": "month",
        "target_value": Decimal("2"),
        "target_qualifier": "at_least",
    }
    values.update(fields)
    return Commitment(**values)


def _measurement(commitment, value, as_of=None, precision="", happened_on=datetime.date(2025, 10, 28), pk=None):
    return StatusUpdate(
        pk=pk,
        commitment=commitment,
        happened_on=happened_on,
        happened_precision="day",
        note="Measured.",
        measured_value=Decimal(value),
        measured_as_of=as_of,
        measured_precision=precision,
    )


def _bar_widths(svg: str) -> list[str]:
    """The widths of the coloured bars (each row draws its grey track first, then its bar)."""
    return re.findall(r'<rect x="0" y="\d+" width="([\d.]+)" height="14" fill="#(?:57606a|0b5cad)"', svg)


def test_it_draws_the_baseline_and_each_measurement_to_scale_from_zero_with_the_target_marked():
    commitment = _defence()
    updates = [
        _measurement(commitment, "1.9", datetime.date(2026, 1, 1), "month", pk=2),
        _measurement(commitment, "1.8", datetime.date(2025, 12, 1), "month", pk=1),
    ]
    series = charts.measure_series(commitment, updates)
    svg = charts.measure_svg("c", series)
    # 2% is the largest value: it takes the whole plot width (596), so 1.8% is 90% of it and 1.9% is 95%.
    assert _bar_widths(svg) == ["536.4", "536.4", "566.2"]
    assert [bar.words for bar in series.bars] == [
        "Baseline, October 2025: about 1.8% of GDP",
        "Measured, for December 2025: 1.8% of GDP",
        "Measured, for January 2026: 1.9% of GDP",
    ]
    assert svg.count('<line x1="596" ') == 3
    assert "Target (dashed mark): at least 2% of GDP" in svg


def test_it_scales_to_the_baseline_when_the_target_is_a_cut():
    tariff = Commitment(
        title="15% tariff",
        unit="pct",
        unit_label="tariff on Japanese goods",
        baseline_value=Decimal("25"),
        target_value=Decimal("15"),
    )
    series = charts.measure_series(tariff, [_measurement(tariff, "15", datetime.date(2025, 10, 28), "day")])
    svg = charts.measure_svg("tariff", series)
    assert _bar_widths(svg) == ["596", "357.6"]
    assert '<line x1="357.6" ' in svg
    assert "Target (dashed mark): 15% tariff on Japanese goods" in svg


def test_it_is_an_image_named_by_its_title_and_described_by_its_values():
    svg = charts.measure_svg("progress", charts.measure_series(_defence(), []))
    assert isinstance(svg, SafeString)
    assert re.search(r'<svg [^>]*role="img"', svg)
    assert 'aria-labelledby="progress-title"' in svg and 'aria-describedby="progress-desc"' in svg
    assert '<title id="progress-title">Defence spending of 2% of GDP: measurements against the target</title>' in svg
    assert (
        '<desc id="progress-desc">Baseline, October 2025: about 1.8% of GDP; Target: at least 2% of GDP. '
        "Bars are drawn to scale from zero.</desc>"
    ) in svg


def test_it_puts_a_text_equivalent_beside_the_chart():
    figure = charts.measure_figure("progress", charts.measure_series(_defence(), []))
    assert figure.startswith('<figure class="measure-chart" id="progress"><svg ')
    assert "<li>Baseline, October 2025: about 1.8% of GDP</li><li>Target: at least 2% of GDP</li>" in figure
    assert 'aria-labelledby="progress-svg-title"' in figure


def test_it_keeps_only_the_latest_figure_when_asked():
    commitment = _defence()
    updates = [
        _measurement(commitment, "1.9", datetime.date(2026, 1, 1), "month"),
        _measurement(commitment, "1.8", datetime.date(2025, 12, 1), "month"),
    ]
    latest = charts.measure_series(commitment, updates, latest_only=True)
    assert [bar.words for bar in latest.bars] == ["Measured, for January 2026: 1.9% of GDP"]
    assert latest.title == "Defence spending of 2% of GDP: the latest figure against the target"
    baseline_only = charts.measure_series(commitment, [], latest_only=True)
    assert [bar.kind for bar in baseline_only.bars] == ["baseline"]
    assert not baseline_only.has_measurements


def test_it_dates_a_measurement_by_its_report_when_the_source_gives_no_date():
    commitment = _defence()
    series = charts.measure_series(commitment, [_measurement(commitment, "1.9")])
    assert series.bars[-1].words == "Measured, reported 28 October 2025: 1.9% of GDP"


def test_it_ignores_updates_that_measure_nothing():
    commitment = _defence()
    note = StatusUpdate(commitment=commitment, happened_on=datetime.date(2025, 10, 28), note="Talked about it.")
    assert [bar.kind for bar in charts.measure_series(commitment, [note]).bars] == ["baseline"]


def test_it_draws_nothing_without_a_value_to_draw():
    investment = Commitment(title="$550 billion", unit="usd", target_value=Decimal("550000000000"))
    series = charts.measure_series(investment, [])
    assert series.bars == () and series.target_text == "$550 billion"
    assert charts.measure_figure("investment", series) == ""


def test_it_has_no_series_without_a_numeric_measure():
    assert charts.measure_series(Commitment(title="Cherry blossoms", unit="none"), []) is None


def test_it_draws_bars_without_a_target_line_when_there_is_no_target():
    commitment = _defence(target_value=None)
    svg = charts.measure_svg("c", charts.measure_series(commitment, []))
    assert "<line" not in svg and "Target" not in svg
    assert _bar_widths(svg) == ["596"]


def test_it_draws_zero_width_bars_when_every_value_is_zero():
    commitment = Commitment(title="Nothing yet", unit="units", unit_label="trees", baseline_value=Decimal(0))
    assert _bar_widths(charts.measure_svg("c", charts.measure_series(commitment, []))) == ["0"]


def test_it_escapes_what_comes_from_the_database():
    commitment = _defence(title='<script>alert("t")</script>', unit="units", unit_label="<img src=x onerror=alert(1)>")
    figure = charts.measure_figure("x", charts.measure_series(commitment, []))
    assert "<script>" not in figure and "<img" not in figure
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in figure
    assert "&lt;img src=x onerror=alert(1)&gt;" in figure
