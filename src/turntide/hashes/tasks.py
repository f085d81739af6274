"""Withdrawing the hashes of cases no longer criminal: hourly, and from hashes.receivers."""

from __future__ import annotations

from django.tasks import task

from turntide.hashes.actions import do_reconcile_case_hashes
from turntide.schedule.registry import periodic


@periodic(every_minutes=60)
@task()
def reconcile_case_hashes(case_id: int | None = None) -> int:
    """Withdraw the hashes of cases no longer judged criminal; return how many."""
    return do_reconcile_case_hashes(cases=None if case_id is None else [case_id])
