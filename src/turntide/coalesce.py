"""Enqueue an argument-less task unless one is already waiting: a burst costs one run.

A burst of judgements (or the demo's start-up) used to queue dozens of URL-list publications
back to back, each reading the whole list. A task that is queued and not yet started reads
the database when it starts, so it already covers everything committed before then; a task
that has started may have read too early, so then a new one is queued. Two callers racing may
both queue one: harmless, as such tasks are idempotent.
"""

from __future__ import annotations

from typing import Any

from django.tasks import Task
from django_tasks_db import DatabaseBackend

__all__ = ["enqueue_once"]


def enqueue_once(task: Task[[], Any]) -> bool:
    """Queue `task` unless a run of it is waiting; True when this call queued one."""
    from django_tasks_db.models import DBTaskResult  # the schedule imports this before models

    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):  # other backends (RQ) cannot be asked cheaply
        waiting = DBTaskResult.objects.ready().filter(
            task_path=task.module_path,
            queue_name=task.queue_name,
            backend_name=backend.alias,
        )
        if waiting.exists():
            return False
    task.enqueue()
    return True
