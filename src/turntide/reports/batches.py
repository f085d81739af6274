"""The intake batch: reported URLs staged in a temporary table, then written set-based.

Every door (the public form, the API, imports) stores reports through one batch: the rows
are staged with COPY (PostgreSQL) or executemany (SQLite) and everything after is a handful
of INSERT ... SELECT and UPDATE ... FROM statements, whatever the batch's size. The cases
app joins the batch to cases from the same table (`cases.receivers`); the columns below are
that contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from turntide.bulk import empty_temporary_table, execute, write_rows

TABLE = "turntide_intake_batch"

# (column, PostgreSQL type, SQLite type), one row per reported URL.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    # The ReportedURL's id, reserved in advance, ascending in the order URLs were submitted.
    ("row_id", "bigint", "integer"),
    ("reference", "text", "text"),
    # The first row of each report carries the report's own details.
    ("opens_report", "boolean", "bool"),
    ("received_at", "timestamptz", "datetime"),
    ("channel", "text", "text"),
    ("source", "text", "text"),
    ("report_content_type", "text", "text"),
    ("found_where", "text", "text"),
    ("description", "text", "text"),
    ("immediate_danger", "boolean", "bool"),
    ("submitted", "text", "text"),
    ("canonical_url", "text", "text"),
    ("url_key", "text", "text"),
    ("content_type", "text", "text"),
    ("found_at", "timestamptz", "datetime"),
    ("found_by", "text", "text"),
    ("notes", "text", "text"),
    ("external_reference", "text", "text"),
)
COLUMN_NAMES = [name for name, _pg, _sqlite in COLUMNS]
# Large batches get fresh planner statistics: a temporary table has none of its own.
ANALYZE_ABOVE = 1000


@dataclass(frozen=True)
class StagedBatch:
    """What `urls_reported` receivers get: where the batch is, and what it holds."""

    table: str
    urls: int
    # The (channel, source) pairs of its reports, and whether any says a child is in danger.
    sources: frozenset[tuple[str, str]]
    urgent: bool


def stage(rows: Sequence[Sequence[Any]]) -> None:
    """Replace the batch's rows (in COLUMNS order) within the caller's transaction."""
    empty_temporary_table(TABLE, COLUMNS)
    write_rows(TABLE, COLUMN_NAMES, rows)
    if len(rows) > ANALYZE_ABOVE:
        execute(f"ANALYZE {TABLE}")
