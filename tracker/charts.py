"""Small server-rendered SVG charts: a commitment's measurements against its target.

Pure functions: they read values already loaded (a commitment and its measurement updates), never the database,
and return SafeStrings built with `format_html`, so every label that comes from the database is escaped.

A chart is a figure: the SVG (role="img", named by its <title>, described by its <desc>) and, beside it, a
text equivalent that lists every value the bars show. Bars are drawn to scale from zero, so a bar at 1.8% next
to a target of 2% looks 90% of the way there and no further.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from tracker.dates import describe
from tracker.models import Commitment, StatusUpdate, Unit, qualified

# Geometry, in SVG user units (the chart scales to its container).
WIDTH = 600
PLOT_WIDTH = WIDTH - 4  # room for the target's mark when the target is the largest value
ROW_HEIGHT = 46
LABEL_BASELINE = 16  # the label's baseline, from the top of its row
BAR_TOP = 24
BAR_HEIGHT = 14
FONT_SIZE = 14
TARGET_OVERHANG = 5  # how far the target's mark reaches above and below each bar

INK = "#1b1f24"
TRACK = "#eaeef2"
BAR_COLOURS = {"baseline": "#57606a", "measured": "#0b5cad"}


@dataclass(frozen=True)
class Bar:
    kind: str  # "baseline" or "measured"
    label: str  # "Baseline, October 2025"
    value: Decimal
    text: str  # "about 1.8% of GDP"
    other_unit: bool = False  # measured in another unit than the target's: not drawn against it

    @property
    def words(self) -> str:
        return gettext("%(label)s: %(value)s") % {"label": self.label, "value": self.text}


@dataclass(frozen=True)
class Series:
    """What a measure chart shows: bars (baseline first, then measurements oldest first) and the target."""

    title: str
    bars: tuple[Bar, ...]
    target: Decimal | None
    target_text: str  # "at least 2% of GDP", or "" without a target

    @property
    def has_measurements(self) -> bool:
        return any(bar.kind == "measured" for bar in self.bars)

    @property
    def maximum(self) -> Decimal:
        values = [bar.value for bar in self.bars if not bar.other_unit]
        values += [self.target] if self.target is not None else []
        return max(values, default=Decimal(0))


def target_words(commitment: Commitment) -> str:
    """The target alone, without the baseline: "at least 2% of GDP"; "" when there is none."""
    if commitment.target_value is None:
        return ""
    return qualified(commitment.target_qualifier, commitment.format_value(commitment.target_value))


def measurement_order(update: StatusUpdate):
    """Oldest first by the end of the period measured; on the same end, the later event last. The latest
    measurement is the last in this order."""
    return (update.measured_period_end, update.happened_on, update.pk or 0)


def _measured_bar(commitment: Commitment, update: StatusUpdate) -> Bar:
    assert update.measured_value is not None  # a measurement (measure_series)
    if update.measured_as_of:
        label = gettext("Measured, for %(period)s") % {
            "period": describe(update.measured_as_of, update.measured_precision)
        }
    else:
        label = gettext("Measured, reported %(day)s") % {"day": update.happened_display}
    if update.money_stage:
        label += gettext(" (%(stage)s)") % {"stage": update.get_money_stage_display().lower()}
    text = update.format_measured()
    if update.measured_basis:
        text += f", {update.measured_basis}"
    if update.basis_changed:
        text += gettext(" [basis changed: not like for like with the bar above]")
    other_unit = bool(update.measured_unit) and update.measured_unit != commitment.unit
    if other_unit:
        text += gettext(" (another unit than the target's: no bar drawn)")
    return Bar("measured", label, update.measured_value, text, other_unit=other_unit)


def _baseline_bar(commitment: Commitment) -> Bar:
    assert commitment.baseline_value is not None  # measure_series asks only then
    label = gettext("Baseline")
    if commitment.baseline_as_of:
        label = gettext("Baseline, %(period)s") % {
            "period": describe(commitment.baseline_as_of, commitment.baseline_as_of_precision)
        }
    value = commitment.format_value(commitment.baseline_value)
    if commitment.baseline_is_approximate:
        value = gettext("about %(value)s") % {"value": value}
    return Bar("baseline", label, commitment.baseline_value, value)


def measure_series(commitment: Commitment, updates, *, latest_only: bool = False) -> Series | None:
    """The series to chart for `commitment`, from its updates (any of them; only measurements are used).

    None when the commitment has no numeric measure. `latest_only` keeps one bar: the latest measurement, or the
    baseline when nothing has been measured.
    """
    if Unit(commitment.unit) is Unit.NONE:
        return None
    bars = [_baseline_bar(commitment)] if commitment.baseline_value is not None else []
    measurements = sorted((update for update in updates if update.is_measurement), key=measurement_order)
    bars += [_measured_bar(commitment, update) for update in measurements]
    if latest_only:
        bars = bars[-1:]
    return Series(
        title=(
            gettext("%(title)s: the latest figure against the target")
            if latest_only
            else gettext("%(title)s: measurements against the target")
        )
        % {"title": commitment.title},
        bars=tuple(bars),
        target=commitment.target_value,
        target_text=target_words(commitment),
    )


def _x(value: Decimal, maximum: Decimal) -> str:
    if maximum <= 0:
        return "0"
    return f"{float(value / maximum) * PLOT_WIDTH:.1f}".removesuffix(".0")


def _description(series: Series) -> str:
    parts = [bar.words for bar in series.bars]
    if series.target is not None:
        parts.append(gettext("Target: %(target)s") % {"target": series.target_text})
    return gettext("%(values)s. Bars are drawn to scale from zero.") % {"values": gettext("; ").join(parts)}


def measure_svg(chart_id: str, series: Series) -> SafeString:
    """The SVG alone: one labelled bar per value on a shared scale from zero, the target as a dashed mark on each."""
    maximum = series.maximum
    rows = []
    for index, bar in enumerate(series.bars):
        top = index * ROW_HEIGHT
        rows.append(
            format_html(
                '<g class="chart-row chart-{kind}">'
                '<text x="0" y="{label_y}" font-size="{font}" fill="{ink}">{words}</text>'
                '<rect x="0" y="{bar_y}" width="{width}" height="{height}" fill="{track}"/>'
                '<rect x="0" y="{bar_y}" width="{bar_width}" height="{height}" fill="{colour}"/>'
                "</g>",
                kind=bar.kind,
                label_y=top + LABEL_BASELINE,
                font=FONT_SIZE,
                ink=INK,
                words=bar.words,
                bar_y=top + BAR_TOP,
                width=PLOT_WIDTH,
                height=BAR_HEIGHT,
                track=TRACK,
                bar_width="0" if bar.other_unit else _x(min(bar.value, maximum), maximum),
                colour=BAR_COLOURS[bar.kind],
            )
        )
    height = len(series.bars) * ROW_HEIGHT
    target = ""
    if series.target is not None:
        # One short dashed mark across each bar (a line through the labels would cross their words).
        x = _x(series.target, maximum)
        marks = format_html_join(
            "",
            '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>',
            (
                (
                    x,
                    index * ROW_HEIGHT + BAR_TOP - TARGET_OVERHANG,
                    index * ROW_HEIGHT + BAR_TOP + BAR_HEIGHT + TARGET_OVERHANG,
                )
                for index in range(len(series.bars))
            ),
        )
        target = format_html(
            '<g class="chart-target" stroke="{ink}" stroke-width="3" stroke-dasharray="3 2">{marks}</g>'
            '<text x="0" y="{text_y}" font-size="{font}" fill="{ink}">{words}</text>',
            ink=INK,
            marks=marks,
            text_y=height + LABEL_BASELINE,
            font=FONT_SIZE,
            words=gettext("Target (dashed mark): %(target)s") % {"target": series.target_text},
        )
        height += LABEL_BASELINE + 6
    return format_html(
        '<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        'aria-labelledby="{id}-title" aria-describedby="{id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rows}{target}</svg>',
        width=WIDTH,
        height=height,
        id=chart_id,
        title=series.title,
        desc=_description(series),
        rows=mark_safe("".join(rows)),
        target=target,
    )


def measure_figure(chart_id: str, series: Series) -> SafeString:
    """The chart and its text equivalent (every value it shows, as a list), or "" when there is no bar to draw."""
    if not series.bars:
        return mark_safe("")
    items = format_html_join("", "<li>{}</li>", ((bar.words,) for bar in series.bars))
    if series.target is not None:
        items += format_html("<li>{}</li>", gettext("Target: %(target)s") % {"target": series.target_text})
    return format_html(
        '<figure class="measure-chart" id="{id}">{svg}<figcaption>'
        '<ul class="measure-values">{items}</ul></figcaption></figure>',
        id=chart_id,
        svg=measure_svg(f"{chart_id}-svg", series),
        items=items,
    )
