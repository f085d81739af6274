"""Keeping the hash list in line with the cases: after every changed judgement, and hourly."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.tasks import task

from turntide.cases.models import URLCase
from turntide.cases.signals import case_outcome_changed, case_status_changed
from turntide.hashes.actions import CRIMINAL_STATUSES, do_reconcile_case_hashes
from turntide.schedule.registry import periodic


@periodic(every_minutes=60)
@task()
def reconcile_case_hashes(case_id: int | None = None) -> int:
    """Withdraw the hashes of cases no longer judged criminal; return how many."""
    return do_reconcile_case_hashes(cases=None if case_id is None else [case_id])


def reconcile_after_commit(case: URLCase, **_: Any) -> None:
    if case.status not in CRIMINAL_STATUSES and case.hashes.exists():
        transaction.on_commit(partial(reconcile_case_hashes.enqueue, case.pk))


case_status_changed.connect(reconcile_after_commit, dispatch_uid="hashes.reconcile_on_status")
case_outcome_changed.connect(reconcile_after_commit, dispatch_uid="hashes.reconcile_on_outcome")
