"""Charts drawn on the server as SVG: geometry here, markup in `insights/_chart.html`.

A chart is a small frozen description (title, description, categories, series) from which
its geometry follows: nice axis ticks, line points or bars. The template renders it as an
SVG image with `<title>` and `<desc>`, then the same numbers as a table, and links to them
as CSV. No script and no inline style: colours are SVG presentation attributes, which the
Content Security Policy allows.

    {% include "insights/_chart.html" with chart=chart %}
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.utils import formats

from turntide.core.csvcells import spreadsheet_row

__all__ = ["Chart", "Series", "bar_chart", "line_chart", "nice_ticks"]

# Okabe-Ito colours: told apart by people with any common colour-vision deficiency.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
WIDTH = 640
LINE_HEIGHT = 280
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 28, 16, 40
BAR_ROW = 24
BAR_LABEL_WIDTH = 150

Number = int | float


def nice_ticks(maximum: float, target: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum`, about `target` of them.

    >>> nice_ticks(182281)
    [0, 50000, 100000, 150000, 200000]
    >>> nice_ticks(0)
    [0, 1]
    """
    if maximum <= 0:
        return [0, 1]
    raw = maximum / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = math.ceil(maximum / step - 1e-9)
    return [_tidy(step * index) for index in range(count + 1)]


def _tidy(value: float) -> float:
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def _format(value: Number | None) -> str:
    """A number as the active language writes it, thousands grouped (1,234.5; 1 234,5)."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return formats.number_format(value, 1, use_l10n=True, force_grouping=True)
    return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Number | None, ...]


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class Chart:
    """One chart and the numbers behind it (rows: categories; columns: series)."""

    key: str
    title: str
    description: str
    kind: Literal["line", "bar"]
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    category_heading: str = ""
    csv_url: str = ""
    width: int = WIDTH
    height: int = LINE_HEIGHT
    y_ticks: tuple[Tick, ...] = ()
    x_ticks: tuple[Tick, ...] = ()
    lines: tuple[Line, ...] = ()
    bars: tuple[Bar, ...] = ()
    # The plotting area, inside the axes' labels.
    left: float = 0
    top: float = 0
    right: float = 0
    bottom: float = 0
    legend: tuple[tuple[str, str], ...] = field(default=())

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The data table: each category with its formatted values, one per series."""
        return [
            (category, [_format(series.values[index]) for series in self.series])
            for index, category in enumerate(self.categories)
        ]

    @property
    def empty(self) -> bool:
        return not any(value for series in self.series for value in series.values)

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        heading = [self.category_heading or "category", *(s.name for s in self.series)]
        writer.writerow(spreadsheet_row(heading))
        for index, category in enumerate(self.categories):
            values = ["" if s.values[index] is None else s.values[index] for s in self.series]
            writer.writerow(spreadsheet_row([category, *values]))
        return buffer.getvalue()


def _series(values: Mapping[str, Sequence[Number | None]], size: int) -> tuple[Series, ...]:
    built = tuple(Series(name, tuple(numbers)) for name, numbers in values.items())
    for series in built:
        if len(series.values) != size:
            raise ValueError(f"series {series.name!r} has {len(series.values)} values, not {size}")
    return built


def line_chart(
    key: str,
    title: str,
    categories: Sequence[str],
    values: Mapping[str, Sequence[Number | None]],
    *,
    description: str,
    category_heading: str = "",
    csv_url: str = "",
) -> Chart:
    """Lines over ordered categories (years, months); a missing value breaks no line."""
    series = _series(values, len(categories))
    highest = max((v for s in series for v in s.values if v is not None), default=0)
    ticks = nice_ticks(highest)
    # Room for the longest tick label ("1,250,000"), about 7 units a character.
    left = max(MARGIN_LEFT, 7 * max(len(_format(t)) for t in ticks) + 12)
    top, right, bottom = MARGIN_TOP, WIDTH - MARGIN_RIGHT, LINE_HEIGHT - MARGIN_BOTTOM

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / ticks[-1]

    def x(index: int) -> float:
        if len(categories) == 1:
            return (left + right) / 2
        return left + (right - left) * index / (len(categories) - 1)

    # Label as many categories as fit side by side (about 7 units a character).
    widest = max((len(category) for category in categories), default=1)
    fitting = max(1, int((right - left) // (widest * 7 + 12)))
    label_every = max(1, math.ceil(len(categories) / fitting))
    lines = tuple(
        Line(
            s.name,
            PALETTE[number % len(PALETTE)],
            tuple(
                Point(x(i), y(v), f"{categories[i]}: {_format(v)}")
                for i, v in enumerate(s.values)
                if v is not None
            ),
        )
        for number, s in enumerate(series)
    )
    return Chart(
        key=key,
        title=title,
        description=description,
        kind="line",
        categories=tuple(categories),
        series=series,
        category_heading=category_heading,
        csv_url=csv_url,
        y_ticks=tuple(Tick(y(t), _format(t)) for t in ticks),
        x_ticks=tuple(Tick(x(i), c) for i, c in enumerate(categories) if i % label_every == 0),
        lines=lines,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        legend=tuple((line.name, line.colour) for line in lines),
    )


def bar_chart(
    key: str,
    title: str,
    counts: Mapping[str, Number],
    *,
    description: str,
    value_name: str = "count",
    category_heading: str = "",
    csv_url: str = "",
) -> Chart:
    """Horizontal bars, one per category, so long labels (countries, site types) stay legible."""
    categories = tuple(counts)
    series = (Series(value_name, tuple(counts.values())),)
    height = MARGIN_TOP + MARGIN_BOTTOM + BAR_ROW * max(1, len(categories))
    left, top = BAR_LABEL_WIDTH, MARGIN_TOP
    right, bottom = WIDTH - MARGIN_RIGHT - 48, height - MARGIN_BOTTOM
    ticks = nice_ticks(max(counts.values(), default=0))

    def x(value: float) -> float:
        return left + (right - left) * value / ticks[-1]

    bars = tuple(
        Bar(
            label=category,
            value=_format(value),
            x=left,
            y=top + BAR_ROW * index + 3,
            width=x(value) - left,
            height=BAR_ROW - 6,
            colour=PALETTE[0],
        )
        for index, (category, value) in enumerate(counts.items())
    )
    return Chart(
        key=key,
        title=title,
        description=description,
        kind="bar",
        categories=categories,
        series=series,
        category_heading=category_heading,
        csv_url=csv_url,
        height=height,
        x_ticks=tuple(Tick(x(t), _format(t)) for t in ticks),
        bars=bars,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
    )
