"""Bulk import of reports from CSV or JSON Lines (`turntide import reports FILE`).

Columns (CSV header or JSON keys); only `url` is required:
  url                 the web address, any spelling
  report_id           rows sharing it (one after another) form one report; else one per row
  received_at         ISO 8601 (the time rule of `turntide.core.rowfiles`), default now
  channel             public | trusted | proactive | import (default import)
  source              code of the organisation that sent it
  content_type        images | videos | both | unsure
  found_where         website | search | social | chat | email | other
  description, notes, found_by, external_reference   free text
  found_at            ISO 8601
  immediate_danger    yes | no | true | false | 1 | 0

The file is checked whole before anything is written (`turntide.importing`): one bad row
stops the import unless `skip_invalid`. Each report's reference is derived from its report_id
(or line and content), so importing the same file again adds nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any, Unpack

from django.conf import settings
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.core.intake import public_canonical_and_key
from turntide.core.rowfiles import Cells, Row, RowError
from turntide.core.urls import Refusal
from turntide.importing import ImportOptions, ImportSummary, RowImport, import_file
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


@dataclass
class ReportsImported(ImportSummary):
    """`already_imported`: reports whose reference was stored before, left as they were."""

    done = "imported {reports} reports ({urls} URLs); {already_imported} already imported"
    reports: int = 0
    urls: int = 0
    already_imported: int = 0


@dataclass(frozen=True, slots=True)
class ParsedRow:
    line: int
    group: str
    url: CheckedURL
    report_fields: dict[str, Any]


def parse_row(row: Row, now: datetime) -> tuple[ParsedRow | None, list[RowError]]:
    cells = Cells(row)
    cells.only(COLUMNS)
    cells.required(["url"])
    danger_word = cells.text("immediate_danger").lower()
    if danger_word not in TRUE_WORDS | FALSE_WORDS:
        cells.problem("immediate_danger", f"{danger_word[:20]!r} is not yes or no")
    content_type = cells.choice("content_type", CONTENT_TYPES)
    report_fields: dict[str, Any] = {
        "channel": cells.choice("channel", CHANNELS) or "import",
        "source": cells.text("source")[:20],
        "content_type": content_type,
        "found_where": cells.choice("found_where", FOUND_WHERE),
        "description": cells.text("description")[:2000],
        "immediate_danger": danger_word in TRUE_WORDS,
        "received_at": cells.time("received_at", now),
    }
    submitted = SubmittedURL(
        url=cells.text("url"),
        content_type=content_type,
        found_at=cells.time("found_at", now),
        found_by=cells.text("found_by")[:200],
        notes=cells.text("notes")[:2000],
        external_reference=cells.text("external_reference")[:200],
    )
    checked = None
    if submitted.url:
        # The same door as the form and the API: only addresses on the public internet.
        public = public_canonical_and_key(
            submitted.url, allow_reserved=settings.TURNTIDE_INTAKE_ALLOW_RESERVED
        )
        if isinstance(public, Refusal):
            cells.problem("url", public.reason)
        else:
            canonical, key = public
            checked = CheckedURL(row.line, submitted, canonical, key.hex())
    if cells.errors or checked is None:
        return None, cells.errors
    report_id = cells.text("report_id")
    if report_id:
        group = f"id:{report_fields['source']}:{report_fields['channel']}:{report_id}"
    else:
        group = "row:" + json.dumps(row.fields, sort_keys=True, default=str)
    return ParsedRow(row.line, group, checked, report_fields), []


class Grouping:
    """Gives each valid row the key of its report.

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


class ReportImport(RowImport[IncomingReport]):
    """Rows grouped into reports, written in chunks of about CHUNK_URLS URLs."""

    summary: ReportsImported

    def check(self, rows: Iterator[Row]) -> Iterator[IncomingReport]:
        current: list[ParsedRow] = []
        current_key = ""
        grouping = Grouping()
        now = timezone.now()

        def report() -> IncomingReport:
            urls = [row.url for row in current]
            details = current[0].report_fields
            return IncomingReport(urls=urls, reference=reference_for(current_key), **details)

        for row in rows:
            parsed, errors = parse_row(row, now)
            if parsed is not None:
                key, error = grouping.key(parsed)
                errors = [error] if error else []
            if errors or parsed is None:
                self.refuse(errors)
                continue
            if current and key != current_key:
                yield report()
                current = []
            current.append(parsed)
            current_key = key
        if current:
            yield report()

    def rows_in(self, item: IncomingReport) -> int:
        return len(item.urls)  # one row a URL

    def to_spool(self, item: IncomingReport) -> tuple[Any, ...]:
        urls = [(u.position, _submitted(u.submitted), u.canonical, u.key) for u in item.urls]
        return urls, _report(item)

    def from_spool(self, spooled: tuple[Any, ...]) -> IncomingReport:
        urls, details = spooled
        checked = [
            CheckedURL(position, SubmittedURL(*submitted), canonical, key)
            for position, submitted, canonical, key in urls
        ]
        return IncomingReport(checked, *details)

    def write(self, items: list[IncomingReport], file_sha256: str) -> None:
        stored = store_reports(items, skip_known=True)
        if stored.reports:
            record(
                self.actor,
                "report.imported",
                object_type="import",
                object_code=file_sha256[:16],
                details={
                    "file_sha256": file_sha256,
                    "reports": stored.reports,
                    "urls": stored.urls,
                    "chunk_first_reference": items[0].reference,
                    "chunk_last_reference": items[-1].reference,
                },
            )
        self.summary.reports += stored.reports
        self.summary.urls += stored.urls
        self.summary.already_imported += stored.known


def import_reports(actor: Actor, path: Path, **options: Unpack[ImportOptions]) -> ReportsImported:
    """Check the whole file, then import it in chunks, each audited and committed."""
    importer = ReportImport(actor, ReportsImported(), CHUNK_URLS)
    import_file(importer, path, **options)
    return importer.summary
