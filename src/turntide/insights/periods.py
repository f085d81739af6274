"""Calendar periods for statistics: a year, a quarter or a month, in the hotline's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

__all__ = ["BadPeriod", "Period", "add_months", "local_date", "midnight"]

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>\d{2})))?$")


class BadPeriod(ValueError):
    """A period that is not YYYY, YYYY-Qn or YYYY-MM."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, quarter or month, in the hotline's time zone."""

    year: int
    first_month: int = 1
    months: int = 12

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2021` (a year), `2021-Q3` (a quarter) or `2021-07` (a month).

        >>> Period.parse("2021-Q3").label
        '2021-Q3'
        """
        match = PERIOD_PATTERN.match(text.strip())
        if match is None or not 1900 <= int(match["year"]) <= 9998:
            raise BadPeriod(f"{text[:20]!r} is not a period: use YYYY, YYYY-Qn or YYYY-MM")
        year = int(match["year"])
        if match["quarter"]:
            return cls(year, 3 * int(match["quarter"]) - 2, 3)
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise BadPeriod(f"{text[:20]!r}: the month must be 01 to 12")
            return cls(year, month, 1)
        return cls(year)

    @property
    def kind(self) -> str:
        return {12: "year", 3: "quarter", 1: "month"}[self.months]

    @property
    def label(self) -> str:
        if self.months == 12:
            return str(self.year)
        if self.months == 3:
            return f"{self.year}-Q{(self.first_month + 2) // 3}"
        return f"{self.year}-{self.first_month:02d}"

    @property
    def start_date(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end_date(self) -> date:
        """The first day after the period."""
        return add_months(self.start_date, self.months)

    @property
    def start(self) -> datetime:
        return midnight(self.start_date)

    @property
    def end(self) -> datetime:
        return midnight(self.end_date)

    def earlier(self, steps: int = 1) -> Period:
        """The period of the same kind `steps` before this one (a year: the year before)."""
        first = add_months(self.start_date, -self.months * steps)
        return Period(first.year, first.month, self.months)

    def __str__(self) -> str:
        return self.label


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def midnight(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def local_date(value: date | datetime) -> date:
    """The hotline's date of a database value (a datetime is aware, or already local)."""
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value
