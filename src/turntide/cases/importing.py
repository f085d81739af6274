"""Historical import of judged URLs (`turntide import assessments FILE`), CSV or JSON Lines.

Columns (README, "Importing assessments"): url, assessed_at and outcome are required;
category, age_group, sex, self_generated, site_type, hosting_country and removed_at are
optional. Each row becomes a URL case with one decisive, analyst-less assessment, so imported
history counts in statistics and lists exactly as native judgements do: a criminal URL is
actioned at its assessment time, and removed if `removed_at` is given (otherwise it stays
actioned, and so on the URL list).

The whole file is validated before anything is written (`turntide.importing`); one bad row
stops the import unless `skip_invalid`. A URL that already has a case (imported before, or
reported) is left alone, so importing the same file again adds nothing. Rows are written in
audited chunks, each committed: an import that dies midway is finished by running it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Unpack

from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.bulk import insert_many
from turntide.cases.models import Assessment, URLCase
from turntide.core.codes import ALPHABET
from turntide.core.files import FileChangedDuringImport
from turntide.core.rowfiles import Cells, Row, RowError
from turntide.core.urls import InvalidURL, canonical_and_key
from turntide.importing import ImportOptions, ImportSummary, RowImport, import_file

REQUIRED = ("url", "assessed_at", "outcome")
GRADING: dict[str, list[str]] = {
    "category": Assessment.Category.values,
    "age_group": Assessment.AgeGroup.values,
    "sex": Assessment.Sex.values,
    "self_generated": Assessment.SelfGenerated.values,
    "site_type": Assessment.SiteType.values,
}
OUTCOMES = Assessment.Outcome.values  # looked up once: the enum builds the list on each access
COLUMNS = frozenset({*REQUIRED, *GRADING, "hosting_country", "removed_at"})
COUNTRY = re.compile(r"^[A-Z]{2}$")
CHUNK_ROWS = 5000

__all__ = [
    "COLUMNS",
    "AssessmentImport",
    "FileChangedDuringImport",
    "ParsedRow",
    "import_assessments",
    "store_judgements",
]


@dataclass
class AssessmentImport(ImportSummary):
    """What an import did, or would have done; `already_present`: URLs that had a case."""

    done = "imported {imported} assessed URLs; {already_present} already present"
    imported: int = 0
    already_present: int = 0


@dataclass(frozen=True)
class ParsedRow:
    line: int
    canonical_url: str
    key: bytes
    assessed_at: datetime
    outcome: str
    grading: dict[str, str]
    hosting_country: str
    removed_at: datetime | None

    @property
    def criminal(self) -> bool:
        return self.outcome in Assessment.CRIMINAL_OUTCOMES


def parse_row(row: Row, now: datetime) -> tuple[ParsedRow | None, list[RowError]]:
    """Check every column of one row; the row, or all its problems by column."""
    cells = Cells(row)
    cells.only(COLUMNS)
    cells.required(REQUIRED)
    canonical, key = "", b""
    if url := cells.text("url"):
        try:
            canonical, key = canonical_and_key(url)
        except InvalidURL as error:
            cells.problem("url", error.reason)
    assessed_at = cells.time("assessed_at", now)
    outcome = cells.choice("outcome", OUTCOMES)
    criminal = outcome in Assessment.CRIMINAL_OUTCOMES
    grading = {}
    for column, choices in GRADING.items():
        value = cells.choice(column, choices)
        if value in choices and outcome and not criminal:
            cells.problem(column, f"grading is for criminal outcomes, not {outcome!r}")
        grading[column] = value
    country = cells.text("hosting_country").upper()
    if country and not COUNTRY.match(country):
        cells.problem("hosting_country", f"{country[:40]!r} is not an ISO 3166-1 alpha-2 code")
    removed_at = cells.time("removed_at", now)
    if removed_at and outcome and not criminal:
        cells.problem("removed_at", "only criminal URLs are removed")
    if removed_at and assessed_at and removed_at < assessed_at:
        cells.problem("removed_at", "before assessed_at")
    if cells.errors or assessed_at is None:
        return None, cells.errors
    parsed = ParsedRow(row.line, canonical, key, assessed_at, outcome, grading, country, removed_at)
    return parsed, []


def readable_code(prefix: str, digest: bytes) -> str:
    """A case or assessment code derived from the URL key: 60 bits, so a million imported
    cases do not collide, and computed, not drawn, which keeps a large import fast."""
    number = int.from_bytes(digest[:8]) >> 4
    characters = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(12))
    return "-".join([prefix, characters[:4], characters[4:8], characters[8:]])


def _case(row: ParsedRow, source: str) -> dict[str, Any]:
    actioned_at = row.assessed_at if row.criminal else None
    if row.removed_at:
        status = URLCase.Status.REMOVED
    elif row.criminal:
        status = URLCase.Status.ACTIONED
    else:
        status = URLCase.Status.ASSESSED
    return {
        "code": readable_code("C", row.key),
        "url_key": row.key.hex(),
        "canonical_url": row.canonical_url,
        "status": status.value,
        "created_at": row.assessed_at,
        "status_changed_at": row.removed_at or row.assessed_at,
        "first_reported_at": row.assessed_at,
        "last_reported_at": row.assessed_at,
        "due_at": row.assessed_at,
        "hosting_country": row.hosting_country,
        "actioned_at": actioned_at,
        "removed_at": row.removed_at,
        "imported_from": source,
    }


def _assessment(row: ParsedRow, case_id: int) -> dict[str, Any]:
    return {
        "code": readable_code("A", row.key[8:]),
        "case_id": case_id,
        "assessed_at": row.assessed_at,
        "outcome": row.outcome,
        "hosting_country": row.hosting_country,
        "kind": Assessment.Kind.INITIAL.value,
        "decisive": True,
        **row.grading,
    }


@transaction.atomic
def store_judgements(actor: Actor, rows: list[ParsedRow], source: str) -> tuple[int, int]:
    """Store the rows whose URL has no case yet, audited; (stored, already present).

    `source` says where they came from (a file's SHA-256) and is kept on each case.
    """
    keys = [row.key.hex() for row in rows]
    present = set(URLCase.objects.filter(url_key__in=keys).values_list("url_key", flat=True))
    fresh = [row for row in rows if row.key.hex() not in present]
    insert_many(URLCase, [_case(row, source) for row in fresh])
    ids = dict(
        URLCase.objects.filter(url_key__in=[row.key.hex() for row in fresh]).values_list(
            "url_key", "pk"
        )
    )
    insert_many(Assessment, [_assessment(row, ids[row.key.hex()]) for row in fresh])
    if fresh:
        record(
            actor,
            "case.imported",
            object_type="import",
            object_code=source[:16],
            details={
                "source": source,
                "cases": len(fresh),
                "first_line": fresh[0].line,
                "last_line": fresh[-1].line,
            },
        )
    return len(fresh), len(present)


class AssessmentRowImport(RowImport[ParsedRow]):
    """Each valid row once (a URL repeated within the file is an error), in chunks."""

    summary: AssessmentImport

    def check(self, rows: Iterator[Row]) -> Iterator[ParsedRow]:
        first_line: dict[bytes, int] = {}
        now = timezone.now()
        for row in rows:
            parsed, errors = parse_row(row, now)
            if parsed is not None:
                seen = first_line.setdefault(parsed.key[:12], row.line)
                if seen == row.line:
                    yield parsed
                    continue
                errors = [RowError(row.line, "url", f"the same web address as line {seen}")]
            self.refuse(errors)

    def write(self, items: list[ParsedRow], file_sha256: str) -> None:
        imported, present = store_judgements(self.actor, items, file_sha256)
        self.summary.imported += imported
        self.summary.already_present += present


def import_assessments(
    actor: Actor, path: Path, **options: Unpack[ImportOptions]
) -> AssessmentImport:
    """Validate the whole file, then store its new URLs in chunks, each audited and committed."""
    importer = AssessmentRowImport(actor, AssessmentImport(), CHUNK_ROWS)
    import_file(importer, path, **options)
    return importer.summary
