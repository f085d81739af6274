"""Row-level export of cases, their standing decisions and removals, for a period.

One row per case first reported in the period (imported history counts by its judgement's
date, which the import gives as its first report). The worker streams the rows from one
server-side cursor into a file under TURNTIDE_EXPORT_DIR, so a million rows cost minutes
and little memory; managers download the file. Nothing a reporter gave (email addresses,
free text) and no web address is in it: the case code names each row. The columns, and what
each means, are in docs/case-export.md (a test keeps the two in step).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import FilteredRelation, Q

from turntide.cases.models import URLCase
from turntide.cases.transitions import Transitions
from turntide.core.csvcells import csv_lines
from turntide.insights.models import CaseExport
from turntide.insights.periods import midnight

__all__ = ["COLUMNS", "EXPORT_TRANSITIONS", "export_path", "export_rows", "write_export"]

Status = CaseExport.Status
EXPORT_TRANSITIONS = Transitions(
    "an export",
    {
        (Status.QUEUED, "start"): Status.RUNNING,
        # A worker that died while writing leaves it running; the task's next attempt resumes.
        (Status.RUNNING, "start"): Status.RUNNING,
        (Status.RUNNING, "finish"): Status.DONE,
        (Status.RUNNING, "fail"): Status.FAILED,
    },
)

# CSV column: the case's field, or its standing decision's (standing__...).
COLUMNS = {
    "case": "code",
    "first_reported_at": "first_reported_at",
    "last_reported_at": "last_reported_at",
    "report_count": "report_count",
    "status": "status",
    "immediate_danger": "immediate_danger",
    "imported": "imported_from",
    "decision": "standing__code",
    "decided_at": "standing__assessed_at",
    "decision_kind": "standing__kind",
    "outcome": "standing__outcome",
    "category": "standing__category",
    "age_group": "standing__age_group",
    "sex": "standing__sex",
    "self_generated": "standing__self_generated",
    "site_type": "standing__site_type",
    "media": "standing__media",
    "image_count": "standing__image_count",
    "video_count": "standing__video_count",
    "commercial": "standing__commercial",
    "multiple_children": "standing__multiple_children",
    "ai_generated": "standing__ai_generated",
    "hosting_country": "hosting_country",
    "actioned_at": "actioned_at",
    "removed_at": "removed_at",
}
IMPORTED = list(COLUMNS).index("imported")


def export_path(export: CaseExport) -> Path:
    return Path(settings.TURNTIDE_EXPORT_DIR) / f"{export.code}.csv"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return "" if value is None else value


def export_rows(start: date, end: date) -> Iterator[list[Any]]:
    """The header, then one row per case first reported from `start` to `end` (both days
    included, local time), in case order, read in chunks from one cursor."""
    yield list(COLUMNS)
    cases = (
        URLCase.objects.filter(
            first_reported_at__gte=midnight(start),
            first_reported_at__lt=midnight(end + timedelta(days=1)),
        )
        .annotate(standing=FilteredRelation("assessments", condition=Q(assessments__decisive=True)))
        .order_by("pk")
        .values_list(*COLUMNS.values())
    )
    for values in cases.iterator(chunk_size=5000):
        row = [_cell(value) for value in values]
        row[IMPORTED] = bool(row[IMPORTED])
        yield row


def write_export(export: CaseExport) -> int:
    """Write the export's file (whole, or not at all: it appears only once complete); the
    number of rows."""
    path = export_path(export)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    rows = -1  # the header is not a row
    with partial.open("w", encoding="utf-8", newline="") as handle:
        for line in csv_lines(export_rows(export.start, export.end)):
            handle.write(line)
            rows += 1
    os.replace(partial, path)
    return rows
