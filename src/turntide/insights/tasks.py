"""Background jobs of the insights app."""

from __future__ import annotations

from django.tasks import task

from turntide.insights.export_actions import do_write_case_export


@task()
def write_case_export(code: str) -> int | None:
    """Row-level case exports can run to millions of rows: written by the worker."""
    export = do_write_case_export(code)
    return export.rows if export else None
