"""Writes of row-level case exports: request, write (the worker's), download. Each audited."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import record
from turntide.insights.case_export import EXPORT_TRANSITIONS, write_export
from turntide.insights.models import CaseExport

Status = CaseExport.Status


def _move(export: CaseExport, event: str, **fields: object) -> bool:
    """Change the export's status by the table, if nobody changed it meanwhile."""
    new = EXPORT_TRANSITIONS.next(export.status, event)
    moved = CaseExport.objects.filter(pk=export.pk, status=export.status).update(
        status=new, **fields
    )
    if moved == 1:
        export.status = new
        for name, value in fields.items():
            setattr(export, name, value)
    return moved == 1


@transaction.atomic
def do_request_case_export(user: User, start: date, end: date) -> CaseExport:
    from turntide.insights.tasks import write_case_export

    export = CaseExport.objects.create(requested_by=user, start=start, end=end)
    record(
        user,
        "export.requested",
        object_type="export",
        object_code=export.code,
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    write_case_export.enqueue(export.code)
    return export


def do_write_case_export(code: str) -> CaseExport | None:
    """The worker's part: write the file, then mark the export done (or failed). None when
    the export is not waiting to be written (done already, say, by an earlier attempt)."""
    export = CaseExport.objects.filter(code=code).first()
    if export is None or export.status not in EXPORT_TRANSITIONS.statuses_taking("start"):
        return None
    if not _move(export, "start"):
        return None
    try:
        rows = write_export(export)
    except OSError as error:
        _move(export, "fail", error=str(error)[:500], finished_at=timezone.now())
        record(None, "export.failed", object_type="export", object_code=code)
        return export
    _move(export, "finish", rows=rows, finished_at=timezone.now())
    record(None, "export.written", object_type="export", object_code=code, details={"rows": rows})
    return export


def do_record_download(user: User, export: CaseExport) -> None:
    record(user, "export.downloaded", object_type="export", object_code=export.code)
