"""A task that loses its database on its first attempt, and a lock to take SQLite's from it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.tasks import TaskContext, task


@contextmanager
def sqlite_locked() -> Iterator[sqlite3.Connection]:
    """A second connection holds the write lock of the test database (shared-cache SQLite in
    memory, where others get "database ... is locked" at once) until the block ends."""
    lock = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")
        lock.execute("DELETE FROM django_session")
        yield lock
    finally:
        lock.close()  # rolls back, if the test has not already


def cut_off_from_the_database() -> None:
    """PostgreSQL: the server ends this connection; SQLite: it stays locked past the query."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        else:
            with sqlite_locked():
                cursor.execute("SELECT count(*) FROM django_session")


@task(takes_context=True)
def lose_the_database_once(context: TaskContext) -> int:
    if context.attempt == 1:
        cut_off_from_the_database()
    return context.attempt
