"""Background jobs of the insights app."""

from __future__ import annotations

from django.tasks import task

from turntide.insights import daily
from turntide.insights.export_actions import do_write_case_export
from turntide.insights.surveys.actions import do_delete_expired_waves
from turntide.schedule.registry import periodic


@task()
def write_case_export(code: str) -> int | None:
    """Row-level case exports can run to millions of rows: written by the worker."""
    export = do_write_case_export(code)
    return export.rows if export else None


@periodic(every_minutes=60)
@task()
def delete_expired_survey_waves() -> int:
    """Uploaded survey files go TURNTIDE_SURVEY_RETENTION_DAYS after upload."""
    return do_delete_expired_waves()


@periodic(every_minutes=10)
@task()
def keep_daily_counts() -> str:
    """Merge the per-day counts' rows of +1 and -1, so a year stays a few dozen rows a day;
    after TURNTIDE_TIME_ZONE changed, count everything again in the new zone."""
    if daily.zone() is None:
        return "no per-day counts on this database"
    if not daily.ready():
        daily.rebuild()
        return "rebuilt"
    daily.compact()
    return "compacted"
