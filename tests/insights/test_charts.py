"""Server-rendered SVG charts: geometry, accessible markup, data table and CSV agree."""

from __future__ import annotations

import csv
import io
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from turntide.insights.charts import bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def trend():
    return line_chart(
        "trend",
        "URLs actioned",
        ["2019", "2020", "2021"],
        {"actioned": [132_676, 153_383, 252_194], "self-generated": [38_424, None, 182_281]},
        description="URLs actioned each year, and how many were self-generated.",
        category_heading="year",
        csv_url="/insights/charts/trend.csv",
    )


def svg_of(html: str) -> ET.Element:
    match = re.search(r"<svg class=\"chart-svg.*?</svg>", html, re.S)
    assert match is not None
    markup = match.group(0).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
    return ET.fromstring(markup)  # noqa: S314  (our own template's output)


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (7, [0, 2, 4, 6, 8]),
        (100, [0, 20, 40, 60, 80, 100]),
        (0.9, [0, 0.2, 0.4, 0.6, 0.8, 1]),
    ],
)
def test_ticks_are_round_numbers_reaching_the_maximum(maximum: float, ticks: list[float]) -> None:
    assert nice_ticks(maximum) == ticks


def test_a_line_chart_places_the_highest_value_at_the_top_of_its_axis() -> None:
    chart = trend()
    actioned, self_generated = chart.lines
    assert [tick.label for tick in chart.y_ticks] == ["0", "100,000", "200,000", "300,000"]
    assert actioned.points[0].x == chart.left
    assert actioned.points[-1].x == chart.right
    assert actioned.points[0].y == pytest.approx(
        chart.bottom - (chart.bottom - chart.top) * 132_676 / 300_000
    )
    assert len(self_generated.points) == 2  # the missing year is left out, not drawn as 0


def test_a_chart_renders_as_accessible_svg_with_its_table_and_csv_link() -> None:
    html = render_to_string("insights/_chart.html", {"chart": trend()})
    svg = svg_of(html)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "URLs actioned"
    assert "self-generated" in svg.find(f"{SVG}desc").text
    assert len(svg.findall(f".//{SVG}polyline")) == 2
    assert "style=" not in html
    assert "<script" not in html
    assert (
        '<th scope="row">2021</th><td class="number">252,194</td><td class="number">182,281</td>'
        in html
    )
    assert 'href="/insights/charts/trend.csv"' in html


def test_coordinates_stay_machine_readable_in_a_language_with_decimal_commas() -> None:
    with translation.override("de"):
        html = render_to_string("insights/_chart.html", {"chart": trend()})
    points = svg_of(html).find(f".//{SVG}polyline").get("points")
    assert re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+)*", points)


def test_a_bar_chart_draws_one_bar_per_category_in_proportion() -> None:
    chart = bar_chart(
        "countries", "Hosting country", {"NL": 40, "US": 20, "": 5}, description="By country."
    )
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == pytest.approx(2 * widths[1])
    html = render_to_string("insights/_chart.html", {"chart": chart})
    assert len(svg_of(html).findall(f".//{SVG}rect")) == 3
    assert "not recorded" in html


def test_the_csv_holds_the_same_numbers_unformatted() -> None:
    rows = list(csv.reader(io.StringIO(trend().csv_text())))
    assert rows == [
        ["year", "actioned", "self-generated"],
        ["2019", "132676", "38424"],
        ["2020", "153383", ""],
        ["2021", "252194", "182281"],
    ]


def test_series_of_the_wrong_length_are_refused() -> None:
    with pytest.raises(ValueError, match="has 1 values, not 2"):
        line_chart("x", "X", ["a", "b"], {"s": [1]}, description="")


def test_month_labels_are_thinned_so_they_do_not_overlap() -> None:
    months = [f"2025-{month:02d}" for month in range(1, 13)]
    chart = line_chart("m", "M", months, {"n": list(range(12))}, description="")
    labels = [tick.label for tick in chart.x_ticks]
    assert labels == months[::2]
    gaps = [b.position - a.position for a, b in itertools.pairwise(chart.x_ticks)]
    assert min(gaps) >= 70


def test_the_axis_leaves_room_for_labels_of_millions() -> None:
    """Seven digits and two separators ("1,250,000") end 6 units left of the axis: they
    must start inside the drawing, not be cut at its edge."""
    chart = line_chart(
        "trend",
        "URLs",
        ["2022", "2023"],
        {"assessed": [250_000, 1_240_000]},
        description="URLs assessed each year.",
    )
    widest = max(len(tick.label) for tick in chart.y_ticks)
    assert widest == len("1,250,000")
    assert chart.left - 6 - 7 * widest >= 0
    assert chart.y_ticks[-1].position == pytest.approx(chart.top)
