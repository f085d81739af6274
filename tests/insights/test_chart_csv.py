"""Chart CSVs: labels cannot start a spreadsheet formula; numbers, negative ones too, stay put."""

from __future__ import annotations

from turntide.insights.charts import line_chart


def test_labels_are_quoted_and_numbers_left_alone() -> None:
    chart = line_chart(
        "change",
        "Change",
        ["2025", "=1+1"],
        {"+share": [-3, 2.5]},
        description="Synthetic",
        category_heading="year",
    )
    assert chart.csv_text().splitlines() == ["year,'+share", "2025,-3", "'=1+1,2.5"]
