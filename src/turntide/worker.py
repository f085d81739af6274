"""The background worker: django-tasks-db's own, made to outlive its database.

django-tasks-db's worker ends at the first database error it does not expect: a connection
PostgreSQL terminated or lost in a restart, or SQLite still busy after its timeout when the
worker opens its claiming transaction (that BEGIN EXCLUSIVE comes before the library's
lock handling, so it killed the demo's worker thread under heavy writes while the scheduler
thread went on enqueueing). And a task whose own queries lost the connection was marked
failed, or left RUNNING for ever when even that write failed.

Here the worker waits for the database with a bounded back-off (1 s doubling to 60 s, each
try logged), then carries on; a task cut short by such an error goes back to the queue and
runs again (at most `MAX_ATTEMPTS` times), so tasks must be safe to run twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from django.db import connection, connections
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from turntide.database import DATABASE_ERRORS, is_transient

__all__ = ["MAX_ATTEMPTS", "Worker", "backoff"]

logger = logging.getLogger("turntide.worker")

FIRST_WAIT_SECONDS = 1.0
LONGEST_WAIT_SECONDS = 60.0
# A task cut short this often fails for good, so that a task that itself breaks its
# connection cannot loop for ever.
MAX_ATTEMPTS = 5


def backoff() -> Iterator[float]:
    """Seconds to wait before each try: 1, 2, 4, ... up to 60, then 60 for ever."""
    wait = FIRST_WAIT_SECONDS
    while True:
        yield wait
        wait = min(wait * 2, LONGEST_WAIT_SECONDS)


class Worker(db_worker.Worker):
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._claimed: DBTaskResult[..., Any] | None = None

    def run(self) -> None:
        waits = backoff()
        while True:
            try:
                connection.ensure_connection()
                waits = backoff()  # it answers: the next outage starts with a short wait
                self._requeue_interrupted()
                super().run()
                return
            except DATABASE_ERRORS as error:
                wait = next(waits)
                logger.warning(
                    "database unavailable (%s: %s); the worker tries again in %g s",
                    type(error).__name__,
                    str(error).strip().partition("\n")[0],
                    wait,
                )
            connections.close_all()  # this thread's; a broken one must not be reused
            self.startup_delay = False
            time.sleep(wait)

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        """Run the task; one cut short by a transient database error stays claimed, for
        `run` to queue again once the database answers, instead of being marked failed."""
        self._claimed = db_task_result
        mark_failed = db_task_result.set_failed

        def fail_unless_interrupted(error: BaseException) -> None:
            if is_transient(error) and len(db_task_result.worker_ids) < MAX_ATTEMPTS:
                raise error
            mark_failed(error)

        db_task_result.set_failed = fail_unless_interrupted
        super().run_task(db_task_result)
        self._claimed = None

    def _requeue_interrupted(self) -> None:
        claimed = self._claimed
        if claimed is None:
            return
        requeued = DBTaskResult.objects.filter(
            pk=claimed.pk, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY)
        self._claimed = None
        if requeued:
            logger.warning(
                "task %s (%s) was cut short by a database error; queued again",
                claimed.pk,
                claimed.task_path,
            )
