"""Register tasks to run every so often, and enqueue the ones that are due.

Apps declare periodic work beside the task itself:

    @periodic(every_minutes=60)
    @task()
    def recheck_hosts() -> None: ...

`turntide worker` calls `enqueue_due()` in a loop. Many workers may run at once: each due
job is claimed by a conditional UPDATE that only one of them can win, and is not queued again
while an earlier run of it still waits (the jobs take no arguments: one run covers both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.tasks import Task
from django.utils import timezone

from turntide.coalesce import enqueue_once

TaskT = TypeVar("TaskT", bound=Task[Any, Any])


@dataclass(frozen=True)
class PeriodicTask:
    task: Task[Any, Any]
    interval: timedelta

    @property
    def name(self) -> str:
        return self.task.module_path


REGISTRY: dict[str, PeriodicTask] = {}


def periodic(*, every_minutes: int) -> Callable[[TaskT], TaskT]:
    def register(task: TaskT) -> TaskT:
        entry = PeriodicTask(task, timedelta(minutes=every_minutes))
        REGISTRY[entry.name] = entry
        return task

    return register


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every registered task whose time has come; return the names enqueued."""
    from turntide.schedule.models import PeriodicJob

    now = now or timezone.now()
    enqueued = []
    for name, entry in sorted(REGISTRY.items()):
        # get_or_create survives a rival worker inserting the same row first.
        PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
        claimed = PeriodicJob.objects.filter(name=name, next_run_at__lte=now).update(
            next_run_at=now + entry.interval, last_enqueued_at=now
        )
        if claimed == 1 and enqueue_once(entry.task):
            enqueued.append(name)
    return enqueued
