"""An estimate table drawn as an SVG interval chart (a dot per group, its 95% interval as a
line), geometry here, markup in `insights/surveys/_interval_chart.html`, as insights.charts
draws its charts. Suppressed groups are left out of the picture; the table says why."""

from __future__ import annotations

from dataclasses import dataclass

from turntide.insights.charts import (
    BAR_LABEL_WIDTH,
    BAR_ROW,
    MARGIN_BOTTOM,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PALETTE,
    WIDTH,
    Tick,
    nice_ticks,
)
from turntide.insights.surveys.estimates import Table

__all__ = ["IntervalChart", "interval_chart"]


@dataclass(frozen=True)
class Interval:
    label: str
    text: str
    y: float
    x: float
    low: float
    high: float


@dataclass(frozen=True)
class IntervalChart:
    title: str
    description: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    ticks: tuple[Tick, ...]
    intervals: tuple[Interval, ...]
    colour: str = PALETTE[0]


def _number(value: float, percent: bool) -> str:
    return f"{100 * value:.1f}%" if percent else f"{value:,.4g}"


def interval_chart(found: Table, title: str) -> IntervalChart | None:
    """One row per shown group, on an axis from 0 (or the lowest interval end) to the top."""
    shown = [row for row in found.rows if not row.suppressed]
    if not shown:
        return None
    scale = 100.0 if found.percent else 1.0
    lows = [scale * (row.ci_low or 0.0) for row in shown]
    highs = [scale * (row.ci_high or 0.0) for row in shown]
    ticks = nice_ticks(max(highs))
    floor = min(0.0, min(lows))
    height = MARGIN_TOP + MARGIN_BOTTOM + BAR_ROW * len(shown)
    left, right = BAR_LABEL_WIDTH, WIDTH - MARGIN_RIGHT - 24
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM

    def x(value: float) -> float:
        return left + (right - left) * (value - floor) / (ticks[-1] - floor)

    intervals = tuple(
        Interval(
            label=row.group or "all respondents",
            text=(
                f"{_number(row.estimate or 0.0, found.percent)} (95% interval "
                f"{_number(row.ci_low or 0.0, found.percent)} to "
                f"{_number(row.ci_high or 0.0, found.percent)})"
            ),
            y=top + BAR_ROW * index + BAR_ROW / 2,
            x=x(scale * (row.estimate or 0.0)),
            low=x(low),
            high=x(high),
        )
        for index, (row, low, high) in enumerate(zip(shown, lows, highs, strict=True))
    )
    suffix = "%" if found.percent else ""
    return IntervalChart(
        title=title,
        description=(
            "Each group's estimate as a dot and its 95% interval as a line; groups with "
            "too few respondents are not drawn."
        ),
        width=WIDTH,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        ticks=tuple(Tick(x(t), f"{t:g}{suffix}") for t in ticks if t >= floor),
        intervals=intervals,
    )
