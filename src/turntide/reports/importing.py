"""Bulk import of reports from CSV or JSON Lines (`turntide import reports FILE`).

Columns (CSV header or JSON keys); only `url` is required:
  url                 the web address, any spelling
  report_id           rows sharing it (one after another) form one report; else one per row
  received_at         ISO 8601, default now
  channel             public | trusted | proactive | import (default import)
  source              code of the organisation that sent it
  content_type        images | videos | both | unsure
  found_where         website | search | social | chat | email | other
  description, notes, found_by, external_reference   free text
  found_at            ISO 8601
  immediate_danger    yes | no | true | false | 1 | 0

The file is checked whole before anything is written: one bad row stops the import
unless `skip_invalid`. Each report's reference is derived from its report_id (or line and
content), so importing the same file again adds nothing.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from turntide.audit.actions import Actor, record
from turntide.core.files import FileChangedDuringImport, sha256_of_file
from turntide.core.urls import InvalidURL, canonical_and_key
from turntide.reports.actions import (
    CheckedURL,
    IncomingReport,
    SubmittedURL,
    store_reports,
)
from turntide.reports.models import Report

COLUMNS = frozenset(
    {
        "url",
        "report_id",
        "received_at",
        "channel",
        "source",
        "content_type",
        "found_where",
        "description",
        "notes",
        "found_by",
        "external_reference",
        "found_at",
        "immediate_danger",
    }
)
CHANNELS = Report.Channel.values
CONTENT_TYPES = Report.ContentType.values
FOUND_WHERE = Report.FoundWhere.values
TRUE_WORDS = {"yes", "true", "1"}
FALSE_WORDS = {"no", "false", "0", ""}
# Each chunk is one transaction and one audit event; reports are never split across two.
# Its cases stay locked until it commits (a few seconds), so reports on them wait that long.
CHUNK_URLS = 20_000
PROGRESS_EVERY = 1000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class ImportSummary:
    reports: int = 0
    urls: int = 0
    already_imported: int = 0
    invalid_rows: int = 0
    errors: list[RowError] = field(default_factory=list)


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) from a CSV file with a header or a JSON Lines file."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.read(1)
        handle.seek(0)
        if first == "{":
            for line_number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as error:
                        row = {"__error__": f"not JSON: {error.msg} at column {error.colno}"}
                    yield (
                        line_number,
                        row if isinstance(row, dict) else {"__error__": "not an object"},
                    )
        else:
            reader = csv.DictReader(handle)
            for row in reader:
                yield reader.line_num, row


def _text(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


def _time(row: dict[str, Any], column: str, errors: list[str]) -> datetime | None:
    text = _text(row, column)
    if not text:
        return None
    try:
        parsed = parse_datetime(text)
    except ValueError:
        parsed = None
    if parsed is None:
        errors.append(f"{column}: not an ISO 8601 time: {text[:40]!r}")
        return None
    try:
        return parsed.astimezone(UTC) if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)
    except OverflowError:
        errors.append(f"{column}: outside the times that can be stored: {text[:40]!r}")
        return None


def _choice(row: dict[str, Any], column: str, choices: list[str], errors: list[str]) -> str:
    value = _text(row, column)
    if value and value not in choices:
        errors.append(f"{column}: {value[:40]!r} is not one of {', '.join(choices)}")
    return value


@dataclass(frozen=True, slots=True)
class ParsedRow:
    line: int
    group: str
    url: CheckedURL
    report_fields: dict[str, Any]


def parse_row(line: int, row: dict[str, Any]) -> tuple[ParsedRow | None, list[RowError]]:
    if "__error__" in row:
        return None, [RowError(line, "-", row["__error__"])]
    problems: list[str] = [f"{name}: unknown column" for name in row if name not in COLUMNS]
    if not _text(row, "url"):
        problems.append("url: missing")
    danger_word = _text(row, "immediate_danger").lower()
    if danger_word not in TRUE_WORDS | FALSE_WORDS:
        problems.append(f"immediate_danger: {danger_word[:20]!r} is not yes or no")
    content_type = _choice(row, "content_type", CONTENT_TYPES, problems)
    report_fields: dict[str, Any] = {
        "channel": _choice(row, "channel", CHANNELS, problems) or "import",
        "source": _text(row, "source")[:20],
        "content_type": content_type,
        "found_where": _choice(row, "found_where", FOUND_WHERE, problems),
        "description": _text(row, "description")[:2000],
        "immediate_danger": danger_word in TRUE_WORDS,
        "received_at": _time(row, "received_at", problems),
    }
    submitted = SubmittedURL(
        url=_text(row, "url"),
        content_type=content_type,
        found_at=_time(row, "found_at", problems),
        found_by=_text(row, "found_by")[:200],
        notes=_text(row, "notes")[:2000],
        external_reference=_text(row, "external_reference")[:200],
    )
    checked = None
    if submitted.url:
        try:
            canonical, key = canonical_and_key(submitted.url)
        except InvalidURL as error:
            problems.append(f"url: {error.reason}")
        else:
            checked = CheckedURL(line, submitted, canonical, key.hex())
    if problems or checked is None:
        errors = [RowError(line, *problem.split(": ", 1)) for problem in problems]
        return None, errors
    report_id = _text(row, "report_id")
    if report_id:
        group = f"id:{report_fields['source']}:{report_fields['channel']}:{report_id}"
    else:
        group = "row:" + json.dumps(row, sort_keys=True, default=str)
    return ParsedRow(line, group, checked, report_fields), []


class Grouping:
    """Gives each valid row the key of its report, the same in both passes over a file.

    Rows sharing a report_id must be consecutive; identical rows without one are separate
    reports, told apart by their order of appearance (not their line, so adding rows
    elsewhere in the file does not make old ones look new).
    """

    def __init__(self) -> None:
        self.current = ""
        self.seen_ids: dict[str, int] = {}
        self.repeats: dict[bytes, int] = {}

    def key(self, row: ParsedRow) -> tuple[str, RowError | None]:
        if row.group.startswith("id:"):
            first_line = self.seen_ids.setdefault(row.group, row.line)
            if row.group != self.current and first_line != row.line:
                error = f"also at line {first_line}: keep the rows of one report together"
                return row.group, RowError(row.line, "report_id", error)
            self.current = row.group
            return row.group, None
        self.current = ""
        digest = hashlib.sha256(row.group.encode()).digest()
        self.repeats[digest] = self.repeats.get(digest, 0) + 1
        return f"{row.group}#{self.repeats[digest]}", None


def reference_for(group: str) -> str:
    """A stable reference, so the same report imported twice is recognised (80 bits)."""
    return "TI-" + base64.b32encode(hashlib.sha256(group.encode()).digest()[:10]).decode()


# Plain tuples pickle ten times faster than dataclasses: the spool holds those, in the
# dataclasses' own field order.
_submitted = attrgetter(*(f.name for f in fields(SubmittedURL)))
_report = attrgetter(*(f.name for f in fields(IncomingReport) if f.name != "urls"))


def to_spool(report: IncomingReport) -> tuple[Any, ...]:
    urls = [(u.position, _submitted(u.submitted), u.canonical, u.key) for u in report.urls]
    return urls, _report(report)


def from_spool(spooled: tuple[Any, ...]) -> IncomingReport:
    urls, details = spooled
    checked = [
        CheckedURL(position, SubmittedURL(*submitted), canonical, key)
        for position, submitted, canonical, key in urls
    ]
    return IncomingReport(checked, *details)


def checked_reports(
    path: Path, summary: ImportSummary, progress: Progress | None = None
) -> Iterator[tuple[IncomingReport, int]]:
    """The file's valid rows grouped into reports, with how many rows each consumed; each
    invalid row is counted and its errors kept in `summary`."""
    current: list[ParsedRow] = []
    current_key = ""
    grouping = Grouping()

    def flush() -> tuple[IncomingReport, int]:
        urls = [row.url for row in current]
        fields = current[0].report_fields
        incoming = IncomingReport(urls=urls, reference=reference_for(current_key), **fields)
        return incoming, len(current)

    for line, row in read_rows(path):
        if progress is not None and line % PROGRESS_EVERY == 0:
            progress("checking", PROGRESS_EVERY)
        parsed, errors = parse_row(line, row)
        if parsed is not None:
            key, error = grouping.key(parsed)
            errors = [error] if error else []
        if errors or parsed is None:
            summary.invalid_rows += 1
            summary.errors.extend(errors)
            continue
        if current and key != current_key:
            yield flush()
            current = []
        current.append(parsed)
        current_key = key
    if current:
        yield flush()


def chunked(
    reports: Iterator[tuple[IncomingReport, int]],
) -> Iterator[tuple[list[IncomingReport], int]]:
    """Whole reports in chunks of about CHUNK_URLS URLs, with the rows each chunk consumed."""
    chunk: list[IncomingReport] = []
    urls = rows = 0
    for incoming, consumed in reports:
        chunk.append(incoming)
        urls += len(incoming.urls)
        rows += consumed
        if urls >= CHUNK_URLS:
            yield chunk, rows
            chunk, urls, rows = [], 0, 0
    if chunk:
        yield chunk, rows


def import_reports(
    actor: Actor,
    path: Path,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Check the whole file, then import it in chunks, each audited and committed.

    The file is read once: checked reports wait in a temporary spool file until the last
    row is known to be valid (or `skip_invalid` allows the rest in). Raises
    `FileChangedDuringImport`, having written nothing, when the file's digest (which the audit
    events carry) changed while it was being checked.
    """
    summary = ImportSummary()
    file_digest = sha256_of_file(path)
    with tempfile.TemporaryFile() as spool:
        chunks = 0
        for chunk in chunked(checked_reports(path, summary, progress)):
            if summary.errors and not skip_invalid:
                continue  # nothing will be written: only the errors are still wanted
            reports, rows = chunk
            spooled = [to_spool(report) for report in reports]
            pickle.dump((spooled, rows), spool, protocol=pickle.HIGHEST_PROTOCOL)
            chunks += 1
        if sha256_of_file(path) != file_digest:
            # What was checked might not be the file the audit trail names: write nothing.
            raise FileChangedDuringImport(
                f"{path} changed while it was checked; nothing was imported: run the import"
                " again once the file is complete"
            )
        if summary.errors and not skip_invalid:
            return summary
        spool.seek(0)
        for _ in range(chunks):
            spooled, rows = pickle.load(spool)  # noqa: S301 (our own spool, written above)
            reports = [from_spool(report) for report in spooled]
            with transaction.atomic():
                stored = store_reports(reports, skip_known=True)
                if stored.reports:
                    record(
                        actor,
                        "report.imported",
                        object_type="import",
                        object_code=file_digest[:16],
                        details={
                            "file_sha256": file_digest,
                            "reports": stored.reports,
                            "urls": stored.urls,
                            "chunk_first_reference": reports[0].reference,
                            "chunk_last_reference": reports[-1].reference,
                        },
                    )
            summary.reports += stored.reports
            summary.urls += stored.urls
            summary.already_imported += stored.known
            if progress is not None:
                progress("importing", rows)
    return summary
