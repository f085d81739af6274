"""Historical import of judged URLs (`turntide import assessments FILE`), CSV or JSON Lines.

Columns (README, "Importing assessments"): url, assessed_at and outcome are required;
category, age_group, sex, self_generated, site_type, hosting_country and removed_at are
optional. Each row becomes a URL case with one decisive, analyst-less assessment, so imported
history counts in statistics and lists exactly as native judgements do: a criminal URL is
actioned at its assessment time, and removed if `removed_at` is given (otherwise it stays
actioned, and so on the URL list).

The whole file is validated before anything is written; one bad row stops the import unless
`skip_invalid`. A URL that already has a case (imported before, or reported) is left alone,
so importing the same file again adds nothing. Rows are written in audited chunks, each
committed: an import that dies midway is finished by running it again.

The file is read twice, to check it and then to write it, so its SHA-256 taken when checking
must still hold before the writing starts and after it ends, and the second read must meet no
problem the first did not; otherwise `FileChangedDuringImport` stops the import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.bulk import insert_many
from turntide.cases.models import Assessment, URLCase
from turntide.core.codes import ALPHABET
from turntide.core.files import FileChangedDuringImport, sha256_of_file
from turntide.core.urls import InvalidURL, canonical_and_key
from turntide.reports.importing import RowError, read_rows

REQUIRED = ("url", "assessed_at", "outcome")
GRADING: dict[str, list[str]] = {
    "category": Assessment.Category.values,
    "age_group": Assessment.AgeGroup.values,
    "sex": Assessment.Sex.values,
    "self_generated": Assessment.SelfGenerated.values,
    "site_type": Assessment.SiteType.values,
}
OUTCOMES = Assessment.Outcome.values  # looked up once: the enum builds the list on each access
ALLOWED = {column: frozenset(values) for column, values in GRADING.items()}
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
class AssessmentImport:
    """What an import did, or would have done: counts and every error found."""

    rows: int = 0
    imported: int = 0
    already_present: int = 0
    invalid_rows: int = 0
    errors: list[RowError] = field(default_factory=list)


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


def _text(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


def _time(
    text: str, column: str, now: datetime, problems: list[tuple[str, str]]
) -> datetime | None:
    """An ISO 8601 time (without a zone: UTC) that has already happened."""
    try:
        parsed = datetime.fromisoformat(text)
        parsed = parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        problems.append((column, f"not an ISO 8601 time: {text[:40]!r}"))
        return None
    if parsed > now:
        problems.append((column, "in the future"))
    return parsed


def parse_row(
    line: int, row: dict[str, Any], now: datetime
) -> tuple[ParsedRow | None, list[RowError]]:
    """Check every column of one row; the row, or all its problems by column."""
    if "__error__" in row:
        return None, [RowError(line, "-", row["__error__"])]
    problems = [
        ("-", "more values than the header names") if name is None else (name, "unknown column")
        for name in row
        if name not in COLUMNS
    ]
    problems += [(name, "missing") for name in REQUIRED if not _text(row, name)]
    canonical, key = "", b""
    if url := _text(row, "url"):
        try:
            canonical, key = canonical_and_key(url)
        except InvalidURL as error:
            problems.append(("url", error.reason))
    text = _text(row, "assessed_at")
    assessed_at = _time(text, "assessed_at", now, problems) if text else None
    outcome = _text(row, "outcome")
    if outcome and outcome not in OUTCOMES:
        problems.append(("outcome", f"{outcome[:40]!r} is not one of {', '.join(OUTCOMES)}"))
    criminal = outcome in Assessment.CRIMINAL_OUTCOMES
    grading = {}
    for column, choices in GRADING.items():
        value = _text(row, column)
        if value and value not in ALLOWED[column]:
            problems.append((column, f"{value[:40]!r} is not one of {', '.join(choices)}"))
        elif value and outcome and not criminal:
            problems.append((column, f"grading is for criminal outcomes, not {outcome!r}"))
        grading[column] = value
    country = _text(row, "hosting_country").upper()
    if country and not COUNTRY.match(country):
        problems.append(("hosting_country", f"{country[:40]!r} is not an ISO 3166-1 alpha-2 code"))
    text = _text(row, "removed_at")
    removed_at = _time(text, "removed_at", now, problems) if text else None
    if removed_at and outcome and not criminal:
        problems.append(("removed_at", "only criminal URLs are removed"))
    if removed_at and assessed_at and removed_at < assessed_at:
        problems.append(("removed_at", "before assessed_at"))
    if problems or assessed_at is None:
        return None, [RowError(line, column, reason) for column, reason in problems]
    parsed = ParsedRow(line, canonical, key, assessed_at, outcome, grading, country, removed_at)
    return parsed, []


def valid_rows(path: Path, summary: AssessmentImport) -> Iterator[ParsedRow]:
    """Each valid row once; errors (including a URL repeated within the file) go to `summary`."""
    first_line: dict[bytes, int] = {}
    now = timezone.now()
    for line, row in read_rows(path):
        summary.rows += 1
        parsed, errors = parse_row(line, row, now)
        if parsed is not None:
            seen = first_line.setdefault(parsed.key[:12], line)
            if seen == line:
                yield parsed
                continue
            errors = [RowError(line, "url", f"the same web address as line {seen}")]
        summary.invalid_rows += 1
        summary.errors.extend(errors)


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


def import_assessments(
    actor: Actor,
    path: Path,
    *,
    skip_invalid: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> AssessmentImport:
    """Validate the whole file, then store its new URLs in chunks, each audited and committed.

    `progress(phase, rows)` hears of rows checked (phase "checking") and written ("importing").
    Raises `FileChangedDuringImport` when the file changes between the two reads: before
    anything is written if it changed while being checked, else as soon as it is seen.
    """
    digest = sha256_of_file(path)
    checked = AssessmentImport()
    reported = 0
    for _row in valid_rows(path, checked):
        if progress is not None and checked.rows - reported >= CHUNK_ROWS:
            progress("checking", checked.rows - reported)
            reported = checked.rows
    if progress is not None:
        progress("checking", checked.rows - reported)
    if checked.errors and not skip_invalid:
        return checked
    summary = AssessmentImport(
        rows=checked.rows, invalid_rows=checked.invalid_rows, errors=checked.errors
    )
    _check_unchanged(path, digest, "nothing was imported; run the import again")
    known_errors = set(checked.errors)
    rechecked = AssessmentImport()
    chunk: list[ParsedRow] = []

    def recheck() -> None:
        """Stop at a problem the second read meets and the first did not."""
        if new := [error for error in rechecked.errors if error not in known_errors]:
            raise FileChangedDuringImport(
                f"{path} changed while it was being imported ({new[0]}, not there when it was "
                f"checked); {summary.imported} rows were imported before that. Check the file "
                "and run the import again: rows already imported are not duplicated."
            )

    def write_chunk() -> None:
        recheck()
        imported, present = store_judgements(actor, chunk, digest)
        summary.imported += imported
        summary.already_present += present
        if progress is not None:
            progress("importing", len(chunk))

    for row in valid_rows(path, rechecked):
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            write_chunk()
            chunk = []
    if chunk:
        write_chunk()
    recheck()
    _check_unchanged(
        path,
        digest,
        f"{summary.imported} rows were imported as it was read; check the file and run the "
        "import again: rows already imported are not duplicated",
    )
    return summary


def _check_unchanged(path: Path, digest: str, consequence: str) -> None:
    if sha256_of_file(path) != digest:
        raise FileChangedDuringImport(
            f"{path} changed while it was being imported (its SHA-256 is no longer {digest}); "
            f"{consequence}."
        )
