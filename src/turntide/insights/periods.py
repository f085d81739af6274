"""Calendar periods for statistics: a year, a quarter or a month, in the hotline's time zone.

A period still running counts only up to today ("to date"), and the period it is compared
with counts the same span of its own (1 Jan to 6 Dec 2026 against 1 Jan to 6 Dec 2025), so
that a part of a year is never set against a whole one.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

__all__ = ["BadPeriod", "Period", "add_months", "local_date", "midnight"]

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>\d{2})))?$")


class BadPeriod(ValueError):
    """A period that is not YYYY, YYYY-Qn or YYYY-MM."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, quarter or month, in the hotline's time zone; `until` (the first day
    not counted) cuts it short when it is still running or compared with one that is."""

    year: int
    first_month: int = 1
    months: int = 12
    until: date | None = None

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
    def title(self) -> str:
        """The label as people read it; a part of a period names its span ("2026 to date
        (1 Jan to 6 Dec)", with a dash)."""
        if self.until is None:
            return self.label
        last = formats.date_format(self.until - timedelta(days=1), "j M")
        span = f"{formats.date_format(self.start_date, 'j M')}\u2013{last}"
        if self.is_running:
            return _("%(period)s to date (%(span)s)") % {"period": self.label, "span": span}
        return f"{self.label} ({span})"

    @property
    def is_running(self) -> bool:
        """Cut short at today: the period has not ended yet."""
        return self.until is not None and self.until > timezone.localdate()

    @property
    def start_date(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end_date(self) -> date:
        """The first day after the period (after its counted part, when cut short)."""
        whole = add_months(self.start_date, self.months)
        return whole if self.until is None else min(whole, self.until)

    @property
    def has_begun(self) -> bool:
        return self.start_date <= timezone.localdate()

    def to_date(self, today: date | None = None) -> Period:
        """This period up to and including `today` (default: the hotline's today) when it is
        still running; otherwise the whole period."""
        today = today or timezone.localdate()
        until = today + timedelta(days=1)
        if self.start_date <= today and until < add_months(self.start_date, self.months):
            return Period(self.year, self.first_month, self.months, until)
        return self

    def same_span_as(self, other: Period) -> Period:
        """This period cut to the span that `other` covers from its own start (whole when
        `other` is whole, or when the span reaches past this period's end)."""
        if other.until is None:
            return self
        last = other.until - timedelta(days=1)  # the last day counted
        offset = (last.year - other.year) * 12 + last.month - other.first_month
        month = add_months(self.start_date, offset)
        days = monthrange(month.year, month.month)[1]
        until = month.replace(day=min(last.day, days)) + timedelta(days=1)
        if until >= add_months(self.start_date, self.months):
            return self
        return Period(self.year, self.first_month, self.months, until)

    @property
    def start(self) -> datetime:
        return midnight(self.start_date)

    @property
    def end(self) -> datetime:
        return midnight(self.end_date)

    def earlier(self, steps: int = 1) -> Period:
        """The period of the same kind `steps` before this one (a year: the year before),
        over the same span when this one is cut short."""
        first = add_months(self.start_date, -self.months * steps)
        return Period(first.year, first.month, self.months).same_span_as(self)

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
