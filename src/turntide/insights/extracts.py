"""De-identified research extracts: aggregate tables of actioned URLs, zipped with a dictionary.

An extract holds counts only: no URL, host, case code, date finer than the chosen period, free
text or geography finer than a country. Every table goes out with its totals after small-cell
suppression (`turntide.core.suppression`, threshold `TURNTIDE_SUPPRESSION_THRESHOLD`), with
the totals that tables share hidden alike in all of them. Counting follows the statistics: one
decisive criminal judgement per URL, dated by its `assessed_at`.

Every table is suppressed one calendar year at a time, from that year's counts alone, so a
year's cells are the same in every extract that includes it: researchers choose the range, and
tables or totals over the range would let two extracts differing by a year be subtracted to
give that year's hidden cells back. A file holds one breakdown for the whole range, a block of
rows per year (`ExtractFile`), with each year's totals and no total over the years.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.cases.models import Assessment
from turntide.core.csvcells import spreadsheet_row
from turntide.core.suppression import SECONDARY_MARK, SuppressedTable, suppress, with_margins
from turntide.insights.periods import local_date
from turntide.insights.statistics import (
    DIMENSION_LABELS,
    DIMENSION_VALUES,
    DIMENSIONS,
    Period,
    actioned_in,
)

__all__ = [
    "GRANULARITIES",
    "MAX_YEARS",
    "BadExtract",
    "Extract",
    "ExtractFile",
    "ExtractTable",
    "build_extract",
    "do_download_extract",
]

GRANULARITIES = ("year", "quarter", "month")
MAX_YEARS = 25
MAX_MONTHLY_YEARS = 10
NOT_RECORDED = "not_recorded"
WHOLLY_HIDDEN = "too few counts to protect cell by cell, so every count and total above 0 is hidden"


class BadExtract(ValueError):
    """An extract that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class ExtractTable:
    """One breakdown of one year, suppressed: the unit of protection."""

    year: int
    name: str
    title: str
    row_heading: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    table: SuppressedTable

    def lines(self, columns: tuple[str, ...]) -> list[list[str]]:
        """The rows as published under `columns` (a column this year lacks counts 0), the
        year's total row last; a period table by year is its own total, so it has none."""
        shown = self.table.shown()
        index = {column: j for j, column in enumerate(self.columns)}
        period = self.row_heading in GRANULARITIES
        out = []
        for i, label in enumerate((*self.rows, "total")):
            if period and label == "total" and len(self.rows) == 1:
                continue
            cells = [shown[i][index[c]] if c in index else "0" for c in columns]
            year_total = f"{self.year} total" if period else "total"
            first = [year_total if label == "total" else label]
            out.append(([] if period else [str(self.year)]) + first + cells + [shown[i][-1]])
        return out


@dataclass(frozen=True)
class ExtractFile:
    """One breakdown over the extract's years: each year's table in turn, under one heading."""

    name: str
    title: str
    row_heading: str
    years: tuple[ExtractTable, ...]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        """Every year's columns, in the order they first appear (not recorded last)."""
        seen = dict.fromkeys(c for table in self.years for c in table.columns)
        tail = [NOT_RECORDED] if NOT_RECORDED in seen else []
        return (*(c for c in seen if c != NOT_RECORDED), *tail)

    @property
    def heading(self) -> list[str]:
        year = [] if self.row_heading in GRANULARITIES else ["year"]
        return [*year, self.row_heading, *self.columns, "total"]

    @property
    def wholly_hidden_years(self) -> list[str]:
        """The years whose table had to go out with every count hidden (`_protected`)."""
        return [
            str(table.year) for table in self.years if table.title.endswith(f"({WHOLLY_HIDDEN})")
        ]

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(spreadsheet_row(self.heading))
        columns = self.columns
        for table in self.years:
            for line in table.lines(columns):
                writer.writerow(spreadsheet_row(line))
        return buffer.getvalue()


@dataclass(frozen=True)
class Extract:
    first_year: int
    last_year: int
    granularity: str
    threshold: int
    created_at: datetime
    tables: tuple[ExtractTable, ...]

    @property
    def filename(self) -> str:
        return f"turntide-extract-{self.first_year}-{self.last_year}-{self.granularity}.zip"

    @property
    def files(self) -> list[ExtractFile]:
        """One file per breakdown, its years in order."""
        names = dict.fromkeys(table.name for table in self.tables)
        files = []
        for name in names:
            years = tuple(table for table in self.tables if table.name == name)
            title = years[0].title.removesuffix(f" ({WHOLLY_HIDDEN})")
            files.append(ExtractFile(name, title, years[0].row_heading, years))
        return files

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        folder = self.filename.removesuffix(".zip")
        context = {
            "extract": self,
            "dimensions": [(name, DIMENSION_LABELS[name]) for name in DIMENSIONS],
            "values": DIMENSION_VALUES,
            "secondary_mark": SECONDARY_MARK,
            "wholly_hidden": WHOLLY_HIDDEN,
        }
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                f"{folder}/README.md",
                render_to_string("insights/research/dictionary.md", context),
            )
            archive.writestr(f"{folder}/dictionary.csv", self.dictionary_csv())
            for file in self.files:
                archive.writestr(f"{folder}/{file.filename}", file.csv_text())
        return buffer.getvalue()

    def dictionary_csv(self) -> str:
        """One row per column of every table: what it holds."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["file", "column", "meaning"])
        for file in self.files:
            if file.row_heading not in GRANULARITIES:
                writer.writerow([file.filename, "year", "the year of the decisive assessment"])
            writer.writerow([file.filename, file.row_heading, _row_meaning(file.row_heading)])
            for column in file.columns:
                writer.writerow(spreadsheet_row([file.filename, column, f"{file.title}: {column}"]))
            writer.writerow([file.filename, "total", "all columns of the row"])
        return buffer.getvalue()


def _row_meaning(heading: str) -> str:
    if heading in GRANULARITIES:
        return (
            f"the {heading} of the decisive assessment (YYYY, YYYY-Qn or YYYY-MM); "
            "YYYY total: that year's row of totals"
        )
    return str(DIMENSION_LABELS.get(heading, heading))


def build_extract(first_year: int, last_year: int, granularity: str) -> Extract:
    """Every table for each year from `first_year` to `last_year`, suppressed, ready to zip."""
    if granularity not in GRANULARITIES:
        raise BadExtract(f"granularity must be one of {', '.join(GRANULARITIES)}")
    if first_year > last_year:
        raise BadExtract("the first year comes after the last")
    if last_year - first_year + 1 > MAX_YEARS:
        raise BadExtract(f"an extract covers at most {MAX_YEARS} years")
    if first_year < 1900 or last_year > 9998:
        raise BadExtract("years must be between 1900 and 9998")
    if granularity == "month" and last_year - first_year + 1 > MAX_MONTHLY_YEARS:
        raise BadExtract(f"a monthly extract covers at most {MAX_MONTHLY_YEARS} years")
    threshold: int = settings.TURNTIDE_SUPPRESSION_THRESHOLD
    tables: list[ExtractTable] = []
    for year in range(first_year, last_year + 1):
        start, end = Period(year).start, Period(year).end
        counts = [_by_period(name, start, end, granularity) for name in DIMENSIONS]
        counts.append(_self_generated_by_age_and_sex(start, end))
        tables += _linked(year, counts, threshold)
    return Extract(first_year, last_year, granularity, threshold, timezone.now(), tuple(tables))


def _protected(
    counts: Counts, year: int, threshold: int, also_hide: list[tuple[int, int]]
) -> ExtractTable:
    """One table suppressed; one too sparse for that goes out with every non-zero entry hidden.

    Cell-by-cell suppression needs enough non-zero cells to hide a rectangle through each small
    one. Where a table lacks them (or has no column at all), hiding every count and total
    above zero leaves nothing to work out, and the table's title says so.
    """
    name, title, heading, rows, columns, cells = counts
    try:
        table = suppress(cells, threshold, also_hide=also_hide)
    except ValueError:
        grid = with_margins(cells)
        hidden = {(i, j) for i, row in enumerate(grid) for j, value in enumerate(row) if value}
        primary = {(i, j) for i, j in hidden if grid[i][j] < threshold}
        table = SuppressedTable(grid, threshold, frozenset(primary), frozenset(hidden - primary))
        title = f"{title} ({WHOLLY_HIDDEN})" if hidden else title
    return ExtractTable(year, name, title, heading, rows, columns, table)


def _linked(year: int, counts: list[Counts], threshold: int) -> list[ExtractTable]:
    """Suppress one year's tables, which share totals, so that none gives away what another hides.

    The period tables share their row totals and grand total (actioned URLs per period); the
    self-generated table's "yes" total is the audience table's grand total. A total hidden
    in one is hidden in all, and the tables are suppressed again until nothing changes.
    """
    *by_period, audience = counts
    hidden_periods: set[str] = set()  # row labels, and "total" for the grand total
    audience_hidden = False
    while True:
        tables = []
        for table_counts in by_period:
            name, _title, _heading, rows, columns, _cells = table_counts
            last = len(columns)
            also = [(i, last) for i, row in enumerate((*rows, "total")) if row in hidden_periods]
            if name.startswith("self_generated_") and audience_hidden:
                also.append((len(rows), columns.index(Assessment.SelfGenerated.YES)))
            tables.append(_protected(table_counts, year, threshold, also))
        also = [(len(audience[3]), len(audience[4]))] if audience_hidden else []
        tables.append(_protected(audience, year, threshold, also))
        audience_table = tables[-1].table
        now_hidden = hidden_periods | {
            row
            for table in tables[:-1]
            for i, row in enumerate((*table.rows, "total"))
            if table.table.hidden((i, len(table.columns)))
        }
        self_generated = next(t for t in tables[:-1] if t.name.startswith("self_generated_"))
        yes_total = (len(self_generated.rows), self_generated.columns.index("yes"))
        now_audience = (
            audience_hidden
            or audience_table.hidden((len(audience[3]), len(audience[4])))
            or self_generated.table.hidden(yes_total)
        )
        if now_hidden == hidden_periods and now_audience == audience_hidden:
            return tables
        hidden_periods, audience_hidden = now_hidden, now_audience


Counts = tuple[str, str, str, tuple[str, ...], tuple[str, ...], list[list[int]]]


def _label(month: date, granularity: str) -> str:
    if granularity == "year":
        return str(month.year)
    if granularity == "quarter":
        return f"{month.year}-Q{(month.month + 2) // 3}"
    return f"{month.year}-{month.month:02d}"


def _periods(start: datetime, end: datetime, granularity: str) -> list[str]:
    labels: list[str] = []
    period = Period(start.year, 1, 1)
    while period.start < end:
        label = _label(period.start_date, granularity)
        if label not in labels:
            labels.append(label)
        period = Period(period.end_date.year, period.end_date.month, 1)
    return labels


def _by_period(name: str, start: datetime, end: datetime, granularity: str) -> Counts:
    """Actioned URLs per period (rows) and value of one field (columns)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    rows = (
        actioned_in(start, end)
        .annotate(month=TruncMonth("assessed_at"))
        .values_list("month", name)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for month, value, n in rows:
        counts[_label(local_date(month), granularity), value or NOT_RECORDED] += n
    periods = _periods(start, end, granularity)
    columns = _columns(name, counts)
    title = f"Actioned URLs by {DIMENSION_LABELS[name].lower()} and {granularity}"
    cells = [[counts[period, column] for column in columns] for period in periods]
    return f"{name}_by_{granularity}", title, granularity, tuple(periods), columns, cells


def _columns(name: str, counts: dict[tuple[str, str], int]) -> tuple[str, ...]:
    """The field's known values in their natural order; countries by total, largest first."""
    seen: dict[str, int] = defaultdict(int)
    for (_period, value), n in counts.items():
        seen[value] += n
    known = DIMENSION_VALUES.get(name, [])
    rest = sorted(
        (v for v in seen if v not in known and v != NOT_RECORDED), key=lambda v: (-seen[v], v)
    )
    tail = [NOT_RECORDED] if NOT_RECORDED in seen else []
    return (*known, *rest, *tail)


def _self_generated_by_age_and_sex(start: datetime, end: datetime) -> Counts:
    """The audience table for prevention work: self-generated actioned URLs in one year."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    rows = (
        actioned_in(start, end)
        .filter(self_generated=Assessment.SelfGenerated.YES)
        .values_list("age_group", "sex")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for age_group, sex, n in rows:
        counts[age_group or NOT_RECORDED, sex or NOT_RECORDED] += n
    ages = _with_unrecorded(DIMENSION_VALUES["age_group"], (age for age, _sex in counts))
    sexes = _with_unrecorded(DIMENSION_VALUES["sex"], (sex for _age, sex in counts))
    cells = [[counts[age, sex] for sex in sexes] for age in ages]
    title = "Self-generated actioned URLs by age of the youngest child and sex"
    return "self_generated_by_age_group_and_sex", title, "age_group", ages, sexes, cells


def _with_unrecorded(known: list[str], present: Iterable[str]) -> tuple[str, ...]:
    return (*known, NOT_RECORDED) if NOT_RECORDED in set(present) else tuple(known)


def do_download_extract(
    actor: Actor, first_year: int, last_year: int, granularity: str
) -> tuple[str, bytes]:
    """Build an extract and audit its download; returns the file name and the zip."""
    extract = build_extract(first_year, last_year, granularity)
    content = extract.zip_bytes()
    record(
        actor,
        "research_extract.downloaded",
        object_type="research_extract",
        object_code=extract.filename,
        details={
            "first_year": first_year,
            "last_year": last_year,
            "granularity": granularity,
            "threshold": extract.threshold,
            "tables": [file.name for file in extract.files],
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return extract.filename, content
