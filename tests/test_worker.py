"""`turntide worker` outlives a lost or locked database, and reruns the task it cut short."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.worker_tasks import lose_the_database_once, sqlite_locked
from turntide.audit.tasks import verify_audit_chain
from turntide.commands.worker import make_worker
from turntide.database import is_transient
from turntide.worker import backoff


def run_worker_until_idle() -> None:
    make_worker(interval=0, batch=True).run()  # type: ignore[attr-defined]


class UnlockOnRetry(logging.Handler):
    """Lets the lock go once the worker has said that it will try again."""

    def __init__(self, lock: sqlite3.Connection) -> None:
        super().__init__(logging.WARNING)
        self.holder = lock

    def emit(self, record: logging.LogRecord) -> None:
        if self.holder.in_transaction:
            self.holder.rollback()


@pytest.mark.django_db(transaction=True)
def test_a_locked_database_does_not_end_the_worker(caplog: pytest.LogCaptureFixture) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's lock contention is the embedded profile's (the demo's worker)")
    queued = verify_audit_chain.enqueue()
    worker_log = logging.getLogger("turntide.worker")
    with sqlite_locked() as lock:
        unlock = UnlockOnRetry(lock)
        worker_log.addHandler(unlock)
        try:
            run_worker_until_idle()
        finally:
            worker_log.removeHandler(unlock)
    assert DBTaskResult.objects.get(pk=queued.id).status == "SUCCESSFUL"
    assert "is locked" in caplog.text
    assert "the worker tries again in 1 s" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_task_cut_off_from_the_database_runs_again(caplog: pytest.LogCaptureFixture) -> None:
    queued = lose_the_database_once.enqueue()
    run_worker_until_idle()
    result = DBTaskResult.objects.get(pk=queued.id)
    assert (result.status, result.return_value) == ("SUCCESSFUL", 2)
    assert "was cut short by a database error; queued again" in caplog.text


def test_the_wait_doubles_from_one_second_to_a_minute() -> None:
    waits = backoff()
    assert [next(waits) for _ in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_only_lost_connections_and_locks_count_as_transient() -> None:
    from django.db import IntegrityError, InterfaceError, OperationalError

    assert is_transient(InterfaceError("connection already closed"))
    assert is_transient(OperationalError("database is locked"))
    assert not is_transient(OperationalError("no such table: cases_urlcase"))
    assert not is_transient(IntegrityError("UNIQUE constraint failed"))
