"""Files of rows to import: CSV with a header, JSON Lines, or a JSON array of objects.

Every import (reports, assessments, partner hash sets) reads its file here, so a row is named
the same way in every error (by its line; in a JSON array, by its entry's number), every time
column follows one rule, and a file that cannot be read at all is refused with one error.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.csv"
>>> _ = path.write_text("url,found_at\\nhttp://a.example/,2024-03-01\\nhttp://b.example/,x,y\\n")
>>> for row in read_rows(path):
...     print(row.line, row.fields or row.problem)
2 {'url': 'http://a.example/', 'found_at': '2024-03-01'}
3 more values than the header names
>>> _ = path.write_text('{"url": "http://a.example/"}\\n\\n[1]\\n{"url": \\n')
>>> [str(RowError(row.line, "", row.problem)) for row in read_rows(path) if row.problem]
['line 3: not a JSON object', 'line 4: malformed JSON: Expecting value']
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

__all__ = [
    "CLOCK_SKEW",
    "EARLIEST",
    "Cells",
    "InvalidTime",
    "Row",
    "RowError",
    "UnreadableFile",
    "numbered_lines",
    "parse_time",
    "read_rows",
]

# The time rule for every time column: no earlier than the web hotlines work on, and not
# later than now, give or take a sender's clock running a little fast.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read as rows; the message says why (and where)."""


class InvalidTime(ValueError):
    """A time cell that breaks the time rule; the message says how."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row: its line in the file and its cells by column, or why it could not be read."""

    line: int
    fields: dict[str, Any]
    problem: str = ""


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of one row, named by line and column (none when the whole row is wrong).

    >>> str(RowError(12, "url", "missing")), str(RowError(3, "", "not a JSON object"))
    ('line 12, column url: missing', 'line 3: not a JSON object')
    """

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line of a UTF-8 file (a byte-order mark is skipped)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from enumerate(_lines(handle), start=1)


def read_rows(path: Path, *, required: Sequence[str] = ()) -> Iterator[Row]:
    """The rows of a CSV file with a header, a JSON Lines file or a JSON array, told apart by
    their first character; `required` names columns a CSV header must have.

    Raises `UnreadableFile` for a file that is not UTF-8, not CSV, or a malformed JSON array.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            start = handle.read(4096).lstrip()[:1]
        except UnicodeDecodeError:
            raise UnreadableFile("the file is not UTF-8 text (line 1)") from None
        handle.seek(0)
        if start == "{":
            for number, line in enumerate(_lines(handle), start=1):
                if line.strip():
                    yield _json_row(number, line)
        elif start == "[":
            yield from _json_array(handle)
        else:
            yield from _csv_rows(handle, required)


def _lines(handle: TextIO) -> Iterator[str]:
    count = 0
    try:
        for count, line in enumerate(handle, start=1):  # noqa: B007 (read in the handler)
            yield line
    except UnicodeDecodeError:
        raise UnreadableFile(f"the file is not UTF-8 text (after line {count})") from None


def _json_row(number: int, text: str) -> Row:
    try:
        item = json.loads(text)
    except json.JSONDecodeError as error:
        return Row(number, {}, f"malformed JSON: {error.msg}")
    return Row(number, item) if isinstance(item, dict) else Row(number, {}, "not a JSON object")


def _json_array(handle: TextIO) -> Iterator[Row]:
    try:
        items = json.loads("".join(_lines(handle)))
    except json.JSONDecodeError as error:
        raise UnreadableFile(f"line {error.lineno}: malformed JSON: {error.msg}") from None
    if not isinstance(items, list):
        raise UnreadableFile("a JSON file must hold one array of objects")
    for number, item in enumerate(items, start=1):
        yield Row(number, item) if isinstance(item, dict) else Row(number, {}, "not a JSON object")


def _csv_rows(handle: TextIO, required: Sequence[str]) -> Iterator[Row]:
    reader = csv.DictReader(_lines(handle))
    try:
        missing = [name for name in required if name not in (reader.fieldnames or ())]
        if missing:
            raise UnreadableFile(
                f"a CSV file needs a header with the columns {' and '.join(required)}; "
                f"missing: {', '.join(missing)}"
            )
        for fields in reader:
            if None in fields:
                yield Row(reader.line_num, {}, "more values than the header names")
            else:
                yield Row(reader.line_num, fields)
    except csv.Error as error:
        raise UnreadableFile(f"line {reader.reader.line_num}: not CSV: {error}") from None


def parse_time(text: str, now: datetime) -> datetime:
    """The time rule of every import: ISO 8601, a time or a date (without a zone, UTC), not
    before 1990 and not after `now` (give or take `CLOCK_SKEW`); in UTC.

    >>> now = datetime(2025, 1, 1, tzinfo=UTC)
    >>> parse_time("2024-03-01T10:00:00+01:00", now).isoformat()
    '2024-03-01T09:00:00+00:00'
    >>> parse_time("2024-03-01", now).isoformat()
    '2024-03-01T00:00:00+00:00'
    >>> parse_time("2025-01-01T00:04:00Z", now).isoformat()  # a clock a little fast
    '2025-01-01T00:04:00+00:00'
    >>> for text in ["2025-01-01T00:06:00Z", "1989-12-31T23:59:59Z", "yesterday"]:
    ...     try:
    ...         parse_time(text, now)
    ...     except InvalidTime as error:
    ...         print(error)
    in the future
    before 1990
    not an ISO 8601 time: 'yesterday'
    """
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidTime(f"not an ISO 8601 time: {text[:40]!r}") from None
    try:
        parsed = parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except OverflowError:
        raise InvalidTime(f"outside the times that can be stored: {text[:40]!r}") from None
    if parsed < EARLIEST:
        raise InvalidTime(f"before {EARLIEST.year}")
    if parsed > now + CLOCK_SKEW:
        raise InvalidTime("in the future")
    return parsed


@dataclass(slots=True)
class Cells:
    """One row's cells read by column; each problem found is kept, by line and column.

    >>> now = datetime(2025, 1, 1, tzinfo=UTC)
    >>> cells = Cells(Row(7, {"url": " http://a.example/ ", "colour": "red", "at": "2030-01-01"}))
    >>> cells.only({"url", "at"}); cells.required(["url", "outcome"])
    >>> cells.text("url"), cells.choice("outcome", ["criminal"]), cells.time("at", now)
    ('http://a.example/', '', None)
    >>> [str(error) for error in cells.errors]  # doctest: +NORMALIZE_WHITESPACE
    ['line 7, column colour: unknown column', 'line 7, column outcome: missing',
     'line 7, column at: in the future']
    """

    row: Row
    errors: list[RowError] = field(default_factory=list)

    def problem(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row.line, column, message))

    def only(self, columns: frozenset[str] | set[str]) -> None:
        """Each column of the row that is not among `columns` is a problem."""
        for name in self.row.fields:
            if name not in columns:
                self.problem(name, "unknown column")

    def required(self, columns: Sequence[str]) -> None:
        for name in columns:
            if not self.text(name):
                self.problem(name, "missing")

    def text(self, column: str) -> str:
        value = self.row.fields.get(column)
        return "" if value is None else str(value).strip()

    def choice(self, column: str, choices: Sequence[str]) -> str:
        """The cell's text, which must be empty or one of `choices`."""
        value = self.text(column)
        if value and value not in choices:
            self.problem(column, f"{value[:40]!r} is not one of {', '.join(choices)}")
        return value

    def time(self, column: str, now: datetime) -> datetime | None:
        """The cell's time by the time rule (`parse_time`), or None when empty or wrong."""
        text = self.text(column)
        if not text:
            return None
        try:
            return parse_time(text, now)
        except InvalidTime as error:
            self.problem(column, str(error))
            return None
