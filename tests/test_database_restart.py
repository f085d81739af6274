"""A running worker and web server outlive their database: PostgreSQL terminates their
connections and restarts, and the worker runs what is enqueued afterwards, its scheduler
still enqueues, and the web's first request afterwards answers 200, not 500."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from tests.helpers import demo_env, serving, turntide
from tests.private_postgres import Cluster, binaries, private_cluster
from turntide.schedule.models import PeriodicJob

BIN = binaries()
pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs with the PostgreSQL suite (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.skipif(BIN is None, reason="no PostgreSQL binaries under /usr/lib/postgresql"),
]

AUDIT_JOB = "turntide.audit.tasks.verify_audit_chain"
FAST_POLLS = ("--interval", "0.2", "--scheduler-interval", "0.5")


@contextmanager
def running_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "turntide.cli", "worker", *FAST_POLLS],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield worker
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def wait_until(done: Callable[[], bool], worker: subprocess.Popen[bytes], log: Path) -> None:
    """Poll until `done`; fail at once if the worker has exited, or after 30 s."""
    deadline = time.monotonic() + 30
    while not done():
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited:\n{log.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker did not get there:\n{log.read_text()}")
        time.sleep(0.1)


def audit_checks_run(cluster: Cluster) -> int:
    rows = cluster.sql(
        "turntide",
        f"SELECT count(*) FROM {DBTaskResult._meta.db_table} WHERE task_path = %s "  # noqa: S608
        "AND status = 'SUCCESSFUL'",
        AUDIT_JOB,
    )
    return int(rows[0][0])  # type: ignore[call-overload]


def test_the_worker_and_the_web_survive_a_database_restart(tmp_path: Path) -> None:
    assert BIN is not None
    log = tmp_path / "worker.log"
    with private_cluster(BIN) as cluster:
        cluster.sql("postgres", "CREATE DATABASE turntide")
        env = demo_env(tmp_path) | {"DATABASE_URL": cluster.url("turntide")}
        turntide(env, "manage", "migrate", "--verbosity", "0")
        with running_worker(env, log) as worker, serving(env) as web:
            # The web worker, the task worker and its scheduler each hold a connection now.
            assert status_of(f"{web}/report/") == 200
            wait_until(lambda: audit_checks_run(cluster) == 1, worker, log)

            cluster.sql(
                "postgres",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = 'turntide' AND pid <> pg_backend_pid()",
            )
            cluster.pg_ctl("-m", "fast", "restart")

            assert status_of(f"{web}/report/") == 200
            cluster.sql(
                "turntide",
                f"UPDATE {PeriodicJob._meta.db_table} SET next_run_at = now() "  # noqa: S608
                "WHERE name = %s",
                AUDIT_JOB,
            )
            wait_until(lambda: audit_checks_run(cluster) == 2, worker, log)
