"""Estimates from a survey's waves under its declared design, with small cells hidden, and
the difference between two waves.

Small cells: a group answered by fewer respondents than TURNTIDE_SUPPRESSION_THRESHOLD (the
research extracts' threshold) shows no estimate, and its count shows as `<10`. The groups'
counts go through the extracts' own suppression (`core.suppression`) as a one-row table with
its total, so one more group is hidden where a lone hidden one could be worked out from the
others and the whole sample.

Two waves are independent samples, so the standard error of their difference is
`sqrt(se1² + se2²)`, with a normal 95% interval.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from scipy import stats

from turntide.core import survey as core
from turntide.core.csvcells import spreadsheet_row
from turntide.core.suppression import suppress
from turntide.core.surveydata import (
    FIELDS,
    Request,
    Statistic,
    SurveyData,
    estimate,
    make_design,
    parse_margin,
    read_survey_bytes,
)
from turntide.insights.surveys.crypto import decrypt
from turntide.insights.surveys.models import Survey, Wave

__all__ = ["Difference", "Question", "Row", "Table", "compare", "headline", "table"]

STATISTICS: tuple[Statistic, ...] = ("proportion", "mean", "total")
Z = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Question:
    """What is asked of a wave: the statistic of `variable` (for a proportion, the share
    whose `variable` is `value`), for the whole sample or each category of `by`."""

    statistic: Statistic
    variable: str
    value: str | None = None
    by: str | None = None

    def details(self) -> dict[str, str | None]:
        """The question as the audit trail records it."""
        return {
            "statistic": self.statistic,
            "variable": self.variable,
            "value": self.value,
            "by": self.by,
        }


def request(survey: Survey, question: Question) -> Request:
    """The core request for `question` under the survey's declared design."""
    return Request(
        question.statistic,
        question.variable,
        value=question.value,
        weight=survey.weight or None,
        strata=survey.strata or None,
        cluster=survey.cluster or None,
        fpc=survey.fpc or None,
        rake=[parse_margin(margin) for margin in survey.rake],
        by=question.by,
    )


def read_wave(wave: Wave) -> SurveyData:
    """The wave's data, decrypted in memory."""
    return read_survey_bytes(wave.filename, decrypt(wave.content))


def check_design(data: SurveyData, survey: Survey) -> None:
    """Raise a `SurveyError` naming the column or value when the design does not fit the
    data (a lonely PSU shows only once a variance is taken, so one is)."""
    d = make_design(data, request(survey, Question("mean", "")))
    core.mean(d, [1.0] * d.rows)
    if survey.indicator_column:
        indicator = Question("proportion", survey.indicator_column, survey.indicator_value)
        estimate(data, request(survey, indicator))


@dataclass(frozen=True)
class Row:
    """One group's estimate; the numbers are None where the group is suppressed."""

    group: str | None
    n: str
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    deff: float | None

    @property
    def suppressed(self) -> bool:
        return self.estimate is None


@dataclass(frozen=True)
class Table:
    wave: Wave
    question: Question
    variable: str
    rows: tuple[Row, ...]
    design: dict[str, Any]
    threshold: int

    @property
    def percent(self) -> bool:
        """Proportions read as percentages on the page (the CSV keeps shares)."""
        return self.question.statistic == "proportion"

    def shown(self) -> list[tuple[str | None, list[str] | None, str]]:
        """Each row as the page prints it: group, (estimate, standard error, interval,
        design effect) or None where suppressed, and respondents. Proportions in percent
        (standard errors in percentage points), totals whole, means to two decimals."""
        scale, digits, unit = {"proportion": (100, 1, "%"), "total": (1, 0, "")}.get(
            self.question.statistic, (1, 2, "")
        )

        def number(value: float | None) -> str:
            return "-" if value is None else f"{scale * value:,.{digits}f}{unit}"

        return [
            (
                row.group,
                None
                if row.suppressed
                else [
                    number(row.estimate),
                    number(row.se).removesuffix("%"),
                    f"{number(row.ci_low)} to {number(row.ci_high)}",
                    "-" if row.deff is None else f"{row.deff:.2f}",
                ],
                row.n,
            )
            for row in self.rows
        ]

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(spreadsheet_row(["wave", *FIELDS]))
        for row in self.rows:
            numbers = [row.estimate, row.se, row.ci_low, row.ci_high, row.deff]
            cells = [self.question.statistic, self.variable, row.group or "", *numbers, row.n]
            writer.writerow(
                spreadsheet_row(
                    [str(self.wave.fielded_on), *("" if c is None else c for c in cells)]
                )
            )
        return buffer.getvalue()


def table(wave: Wave, question: Question) -> Table:
    """The question's estimates on one wave, small groups suppressed."""
    result = estimate(read_wave(wave), request(wave.survey, question))
    threshold = settings.TURNTIDE_SUPPRESSION_THRESHOLD
    counts = [int(row["n"]) for row in result.rows]
    try:
        protected = suppress([counts], threshold)
        hidden = [protected.hidden((0, j)) for j in range(len(counts))]
        labels = [protected.label((0, j)) for j in range(len(counts))]
    except ValueError:  # too few groups to protect: hide them all
        hidden, labels = [True] * len(counts), [f"<{threshold}"] * len(counts)
    rows = tuple(
        Row(
            group=None if row["group"] is None else str(row["group"]),
            n=label,
            **{key: None if secret else row[key] for key in FIELDS[3:8]},
        )
        for row, secret, label in zip(result.rows, hidden, labels, strict=True)
    )
    return Table(wave, question, result.rows[0]["variable"], rows, result.design, threshold)


@dataclass(frozen=True)
class Difference:
    """`after` minus `before` for one group, with its 95% interval; `percent`: shares,
    shown in percent and their change in percentage points."""

    group: str | None
    before: float
    after: float
    change: float
    low: float
    high: float
    percent: bool = False

    @property
    def cells(self) -> list[str]:
        """Earlier, later, change, interval, as the page prints them."""
        scale, before, change = (
            (100, "{:.1f}%", "{:+.1f} points") if self.percent else (1, "{:,.2f}", "{:+,.2f}")
        )
        low, high = change.format(scale * self.low), change.format(scale * self.high)
        return [
            before.format(scale * self.before),
            before.format(scale * self.after),
            change.format(scale * self.change),
            f"{low} to {high}",
        ]


def compare(before: Table, after: Table) -> list[Difference]:
    """Each group shown in both tables: the change from the first to the second."""
    earlier = {row.group: row for row in before.rows if not row.suppressed}
    found = []
    for row in after.rows:
        old = earlier.get(row.group)
        if old is None or old.estimate is None or row.estimate is None:
            continue
        change = row.estimate - old.estimate
        half = Z * math.hypot(old.se or 0.0, row.se or 0.0)
        found.append(
            Difference(
                row.group,
                old.estimate,
                row.estimate,
                change,
                change - half,
                change + half,
                before.percent,
            )
        )
    return found


def headline(survey: Survey) -> dict[str, Any] | None:
    """The headline indicator's change from the first wave to the last, in percentage points,
    for the campaign page; None when there is no indicator, one wave, or a suppressed one."""
    waves = list(survey.waves.all())
    if not survey.indicator_column or len(waves) < 2:
        return None
    question = Question("proportion", survey.indicator_column, survey.indicator_value)
    first, last = table(waves[0], question), table(waves[-1], question)
    differences = compare(first, last)
    if not differences:
        return None
    found = differences[0]
    return {
        "label": survey.indicator_label or first.variable,
        "before_on": str(waves[0].fielded_on),
        "after_on": str(waves[-1].fielded_on),
        "rose": found.change >= 0,
        "points": round(100 * abs(found.change), 1),
        **{
            key: round(100 * getattr(found, key), 1)
            for key in ("before", "after", "change", "low", "high")
        },
    }
