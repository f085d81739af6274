"""Which database errors pass: a lost connection or a locked database, not a faulty query.

The worker waits for these and carries on; web requests that meet one answer 503 with
Retry-After (`turntide.middleware`), since the same request will succeed once the database
answers again, and nothing of it was stored.
"""

from __future__ import annotations

import psycopg
from django.db import InterfaceError, OperationalError
from django_tasks_db.utils import is_locked_database_exception

__all__ = ["DATABASE_ERRORS", "is_transient"]

DATABASE_ERRORS = (OperationalError, InterfaceError)
# PostgreSQL's connection exceptions (class 08) and shutdowns: the server went away.
_LOST_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")


def is_transient(error: BaseException) -> bool:
    """A lost connection or a locked database, which waiting cures; not a faulty query."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if is_locked_database_exception(error):
        return True
    cause = error.__cause__
    return isinstance(cause, psycopg.Error) and (
        cause.sqlstate is None or cause.sqlstate.startswith(_LOST_CONNECTION_STATES)
    )
