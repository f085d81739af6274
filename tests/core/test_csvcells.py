"""CSV cells: text a spreadsheet would run as a formula comes out as plain text."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from turntide.core.csvcells import FORMULA_STARTS, spreadsheet_row, spreadsheet_safe


@pytest.mark.parametrize(
    "cell",
    [
        "=cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-1+1",
        "@SUM(1,1)",
        "\t=1+1",
        "\r=1+1",
        "-",
        "+1e3",
        "-\u0663",  # an Arabic-Indic digit: not a number to a spreadsheet
    ],
)
def test_it_quotes_text_that_starts_a_formula(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell",
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "2026-11-26T10:00:00+00:00",
        "TT-7KQ4-93XD",
        "a=b",
        " =1",
        "'=already quoted",
        "-3",
        "+0.25",
    ],
)
def test_it_leaves_safe_text_alone(cell: str) -> None:
    assert spreadsheet_safe(cell) == cell


@given(st.text())
def test_no_safe_cell_starts_a_formula_unless_it_is_a_plain_number(text: str) -> None:
    cell = spreadsheet_safe(text)
    if cell.startswith(FORMULA_STARTS):
        float(cell)  # a signed decimal, read by a spreadsheet as that number only
    assert cell in (text, "'" + text)


def test_a_safe_row_round_trips_through_csv_with_numbers_untouched() -> None:
    out = io.StringIO()
    csv.writer(out).writerow(spreadsheet_row(["=1+1", 7, 2.5, None, "host.example"]))
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells == ["'=1+1", "7", "2.5", "", "host.example"]
