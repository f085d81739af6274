"""A period still running counts to date and is compared with the same span of the earlier one."""

from __future__ import annotations

from datetime import date

import pytest

from turntide.insights.periods import Period


def test_a_running_year_counts_to_date_and_is_compared_with_the_same_span() -> None:
    year = Period(2026).to_date(date(2026, 12, 6))
    assert (year.start_date, year.end_date) == (date(2026, 1, 1), date(2026, 12, 7))
    earlier = year.earlier()
    assert (earlier.start_date, earlier.end_date) == (date(2025, 1, 1), date(2025, 12, 7))
    assert earlier.label == "2025"  # the address still names the year


@pytest.mark.parametrize("today", [date(2025, 12, 31), date(2027, 3, 1)])
def test_a_year_over_by_today_is_whole(today: date) -> None:
    assert Period(2025).to_date(today) == Period(2025)
    assert Period(2025).to_date(today).earlier() == Period(2024)


def test_any_earlier_period_is_cut_to_the_same_span() -> None:
    quarter = Period.parse("2026-Q4").to_date(date(2026, 11, 15))
    assert quarter.end_date == date(2026, 11, 16)
    compare = Period.parse("2024-Q4").same_span_as(quarter)
    assert (compare.start_date, compare.end_date) == (date(2024, 10, 1), date(2024, 11, 16))
    # A span past the end of the shorter period leaves that period whole.
    assert Period.parse("2025-02").same_span_as(Period(2026).to_date(date(2026, 6, 1))) == (
        Period.parse("2025-02")
    )


def test_the_29th_of_february_is_compared_with_the_28th() -> None:
    to_28 = Period(2024).to_date(date(2024, 2, 28))
    assert to_28.earlier().end_date == date(2023, 3, 1)
    to_29 = Period(2028).to_date(date(2028, 2, 29))
    assert to_29.end_date == date(2028, 3, 1)
    assert to_29.earlier().end_date == date(2027, 3, 1)


def test_labels_say_to_date_and_name_the_span(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    running = Period(2026).to_date()
    if running.until is None:
        pytest.skip("the last day of the year: nothing is cut")
    assert running.title.startswith("2026 to date (1 Jan\u2013")
    assert running.earlier().title.startswith("2025 (1 Jan\u2013")
    assert Period(2025).title == "2025"
