"""Periodic jobs are enqueued by the worker, once per interval, whoever else is running."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from turntide.schedule.models import PeriodicJob
from turntide.schedule.registry import REGISTRY, enqueue_due

AUDIT_JOB = "turntide.audit.tasks.verify_audit_chain"


@pytest.mark.django_db
def test_the_audit_check_is_registered_and_enqueued_once_per_interval() -> None:
    assert AUDIT_JOB in REGISTRY
    now = timezone.now()
    assert AUDIT_JOB in enqueue_due(now)
    assert AUDIT_JOB not in enqueue_due(now + timedelta(hours=1))
    DBTaskResult.objects.filter(task_path=AUDIT_JOB).update(status="SUCCESSFUL")  # it ran
    assert AUDIT_JOB in enqueue_due(now + timedelta(days=1, seconds=1))
    assert DBTaskResult.objects.filter(task_path=AUDIT_JOB).count() == 2


@pytest.mark.django_db
def test_a_job_whose_last_run_still_waits_is_not_queued_twice() -> None:
    now = timezone.now()
    assert AUDIT_JOB in enqueue_due(now)
    assert AUDIT_JOB not in enqueue_due(now + timedelta(days=1, seconds=1))
    assert DBTaskResult.objects.filter(task_path=AUDIT_JOB).count() == 1


@pytest.mark.django_db
def test_a_job_already_claimed_by_another_worker_is_not_enqueued_again() -> None:
    now = timezone.now()
    PeriodicJob.objects.create(name=AUDIT_JOB, next_run_at=now + timedelta(minutes=5))
    assert AUDIT_JOB not in enqueue_due(now)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_in_batch_mode() -> None:
    from turntide.cli import main

    assert main(["worker", "--batch"]) == 0
    result = DBTaskResult.objects.get(task_path=AUDIT_JOB)
    assert result.status == "SUCCESSFUL"
    assert result.return_value is True
