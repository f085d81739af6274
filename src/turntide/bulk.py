"""Set-based writes for large batches, on PostgreSQL and SQLite alike.

`bulk_create` spends most of a millisecond per row building its statement, a quarter of an
hour for a million rows. These helpers write the same rows in a fraction of that: COPY on
PostgreSQL, one executemany on SQLite. Callers write their own set-based SQL between them;
the few places where the two databases spell something differently are here too.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def quoted(names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


# Per connection, the temporary tables PostgreSQL has statistics for (see below).
_analyzed: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def empty_temporary_table(name: str, columns: Sequence[tuple[str, str, str]]) -> None:
    """Create (once per connection) or empty a temporary table of (name, PostgreSQL type,
    SQLite type) columns, for the caller's transaction."""
    vendor = 1 if is_postgresql() else 2
    definitions = ", ".join(f"{column[0]} {column[vendor]}" for column in columns)
    create = f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ({definitions})"
    if not is_postgresql():
        execute(create)
        execute(f"DELETE FROM {name}")
        return
    # PostgreSQL also empties it at commit, so no batch outlives its transaction there.
    statements = [f"{create} ON COMMIT DELETE ROWS", f"DELETE FROM {name}"]
    # A table never analyzed is planned as if it held hundreds of rows, so a batch of ten
    # was joined by scanning whole tables. Analyzed once, when made (still empty), it is
    # planned by its actual size from then on. Made in a transaction that rolls back, it is
    # gone again: so it is remembered only once committed, and until then looked up.
    connection.ensure_connection()
    analyzed = _analyzed.setdefault(connection.connection, set())
    if name not in analyzed:
        [(exists,)] = fetch("SELECT to_regclass(%s) IS NOT NULL", [f"pg_temp.{name}"])
        if not exists:
            statements.append(f"ANALYZE {name}")
    # One round trip: without parameters, PostgreSQL takes the statements at once.
    execute("; ".join(statements))
    if name not in analyzed:
        transaction.on_commit(lambda: analyzed.add(name))


def write_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Append rows to a table (a unique value already there fails the whole statement).

    COPY even for a handful of rows: a multi-row VALUES statement costs psycopg more to
    bind in Python (every placeholder parsed afresh) than COPY costs on the wire. A failing
    COPY raises psycopg's own error, not Django's IntegrityError or DataError.
    """
    if not rows:
        return
    names = quoted(columns)
    target = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {target} ({names}) VALUES ({marks})", rows)


def default_value(column: Any) -> Any:
    """A column's field default, ready for the database; unique columns have none to share."""
    if column.unique:
        raise ValueError(f"{column.attname} is unique: give it for every row")
    return column.get_db_prep_save(column.get_default(), connection)


def insert_many(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert rows (attname: value; other columns take their defaults).

    Times are prepared by their fields; unique columns must be given.
    """
    if not rows:
        return
    columns = [column for column in model._meta.concrete_fields if not column.primary_key]
    defaults = {c.attname: default_value(c) for c in columns if c.attname not in rows[0]}
    times = [column.attname for column in columns if column.get_internal_type() == "DateTimeField"]
    adapt_time = connection.ops.adapt_datetimefield_value  # aware datetimes, as given here
    values = []
    for row in rows:
        prepared = defaults | row
        for name in times:
            if name in row:
                prepared[name] = adapt_time(row[name])
        values.append([prepared[column.attname] for column in columns])
    write_rows(model._meta.db_table, [str(column.column) for column in columns], values)


def insert_select(
    model: type[models.Model],
    given: dict[str, str],
    source: str,
    params: Sequence[Any] = (),
    *,
    skip_conflicts: bool = False,
) -> int:
    """INSERT ... SELECT into a model's table; the number of rows inserted.

    `given` maps attnames to SQL expressions over `source` (the FROM clause onwards, with a
    WHERE, which SQLite needs before ON CONFLICT); every other column takes its field's
    default, passed as a parameter. With `skip_conflicts`, rows that would break a unique
    constraint are left out.
    """
    names, expressions, defaults = [], [], []
    for column in model._meta.concrete_fields:
        if column.primary_key:
            continue
        names.append(str(column.column))
        if column.attname in given:
            expressions.append(given[column.attname])
        else:
            expressions.append("%s")
            defaults.append(default_value(column))
    ignore = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    table = connection.ops.quote_name(model._meta.db_table)
    return execute(
        f"INSERT INTO {table} ({quoted(names)}) SELECT {', '.join(expressions)} {source}{ignore}",
        [*defaults, *params],
    )


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def fetch(sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` primary keys of `model`, ascending, for rows the caller inserts with them.

    PostgreSQL draws them from the table's sequence, safe beside concurrent inserts; SQLite
    writes one transaction at a time (IMMEDIATE transactions), so the keys above the highest
    ever used are this transaction's to take.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    if is_postgresql():
        rows = fetch(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return sorted(row[0] for row in rows)
    [(highest,)] = fetch(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"
        f" coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0))",
        [table],
    )
    return list(range(highest + 1, highest + 1 + count))
