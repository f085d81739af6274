"""A case no longer judged criminal has its hashes withdrawn, after commit."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from turntide.cases.models import URLCase
from turntide.cases.signals import case_outcome_changed, case_status_changed
from turntide.hashes.actions import CRIMINAL_STATUSES
from turntide.hashes.tasks import reconcile_case_hashes


def reconcile_after_commit(case: URLCase, **_: Any) -> None:
    if case.status not in CRIMINAL_STATUSES and case.hashes.exists():
        transaction.on_commit(partial(reconcile_case_hashes.enqueue, case.pk))


case_status_changed.connect(reconcile_after_commit, dispatch_uid="hashes.reconcile_on_status")
case_outcome_changed.connect(reconcile_after_commit, dispatch_uid="hashes.reconcile_on_outcome")
