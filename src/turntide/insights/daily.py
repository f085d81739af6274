"""Per-day counts that PostgreSQL keeps beside the cases, so figures over a year stay fast.

Counting a year of a million judged URLs means reading a million rows on every page; these
tables hold a few dozen rows a day instead. Triggers on `cases_assessment` and
`cases_urlcase` write a row of +1 or -1 for every change a figure can see (a judgement made
decisive or superseded, a grading corrected, a case removed), whichever code or import made
it, so the sums are exact at every moment; `compact` merges those rows now and then.

- `insights_dailyjudgements`: decisive judgements by the hotline's local day they were made,
  as (field, value, n): field `outcome` counts every judgement by its outcome; the six
  breakdown fields (`category`, `age_group`, ...) count actioned (criminal) ones only.
- `insights_dailyremovals`: removals by local day of `removed_at` and a bucket of the time to
  removal (16 to a doubling), so a percentile is found in its bucket, then read exactly from
  an index over that bucket's cases (`removal_percentiles`).

Days are the hotline's (TURNTIDE_TIME_ZONE), so any period the statistics offer is a run of
whole days. The zone the tables were built in is `turntide_stats_zone()`; while it differs
from the setting, `ready` is False (figures are counted from the rows) until the periodic
task rebuilds them. SQLite (the demo) has none of this: figures are counted from the rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Literal

from django.conf import settings
from django.db import connection, transaction

from turntide.bulk import execute, fetch
from turntide.cases.models import Assessment
from turntide.insights.periods import midnight

CRIMINAL_OUTCOMES = sorted(Assessment.CRIMINAL_OUTCOMES)
# The breakdowns of actioned URLs (`statistics.DIMENSIONS`).
BREAKDOWN_FIELDS = (
    "category",
    "age_group",
    "sex",
    "self_generated",
    "site_type",
    "hosting_country",
)
JUDGEMENTS = "insights_dailyjudgements"
REMOVALS = "insights_dailyremovals"
EVENTS = ("insert", "delete", "update", "truncate")
Counted = Callable[[str], str]  # the SQL condition for a row to count, given "", "OLD." or "NEW."
ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-/]{1,64}")

_criminal = ", ".join(f"'{outcome}'" for outcome in CRIMINAL_OUTCOMES)
_judgement_columns = ("assessed_at", "outcome", *BREAKDOWN_FIELDS)
_removal_columns = ("removed_at", "actioned_at")


def _decisive(record: str) -> str:
    return f"{record}decisive"


def _every(record: str) -> str:
    """Every case counts: `_removal_deltas` keeps the removed ones."""
    return "true"


_fields = ", ".join(f"('{field}', j.{field})" for field in ("outcome", *BREAKDOWN_FIELDS))


def _judgement_deltas(source: str) -> str:
    """Add the rows of `source` (its judgement columns and `sign`) to the judgement counts."""
    return f"""INSERT INTO {JUDGEMENTS} (day, field, value, n)
    SELECT (j.assessed_at AT TIME ZONE turntide_stats_zone())::date, k.field, k.value, sum(j.sign)
    FROM ({source}) AS j CROSS JOIN LATERAL (VALUES {_fields}) AS k (field, value)
    WHERE k.field = 'outcome' OR j.outcome IN ({_criminal})
    GROUP BY 1, 2, 3 HAVING sum(j.sign) <> 0"""


def _removal_deltas(source: str) -> str:
    """Add the removed cases of `source` (`removed_at`, `actioned_at`, `sign`) to the removals."""
    return f"""INSERT INTO {REMOVALS} (day, bucket, n)
    SELECT (j.removed_at AT TIME ZONE turntide_stats_zone())::date,
        turntide_removal_bucket(j.removed_at - j.actioned_at), sum(j.sign)
    FROM ({source}) AS j WHERE j.removed_at IS NOT NULL AND j.actioned_at IS NOT NULL
    GROUP BY 1, 2 HAVING sum(j.sign) <> 0"""


def _rows(table: str, columns: Sequence[str], sign: int, counted: Counted) -> str:
    """The counted rows of a statement's transition table, with their sign."""
    return f"SELECT {', '.join(columns)}, {sign} AS sign FROM {table} WHERE {counted('')}"


def _record(record: str, columns: Sequence[str], sign: int, counted: Counted) -> str:
    """A row-level trigger's OLD or NEW record, with its sign, when it is counted."""
    values = ", ".join(f"{record}.{column} AS {column}" for column in columns)
    return f"SELECT {values}, {sign} AS sign WHERE {counted(record + '.')}"


def _trigger_sql(
    table: str,
    counts: str,
    columns: Sequence[str],
    deltas: Callable[[str], str],
    counted: Counted,
    watched: Sequence[str],
) -> list[str]:
    """Functions and triggers keeping `counts` in step with `table`: a statement's inserted
    or deleted rows at once (bulk imports stay fast), an update row by row and only when a
    `watched` column (what is counted, and whether it is) changed on a counted row. The
    bodies name the columns: a migration that renames one runs `install` again."""
    name = f"turntide_{counts}"
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watched)
    updated = (
        f"{_record('OLD', columns, -1, counted)} UNION ALL {_record('NEW', columns, 1, counted)}"
    )
    bodies = {
        "insert": (
            deltas(_rows("new_rows", columns, 1, counted)),
            "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT",
        ),
        "delete": (
            deltas(_rows("old_rows", columns, -1, counted)),
            "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT",
        ),
        # Tested in the body, not in a WHEN clause: PostgreSQL would refuse to alter the type
        # of a column a trigger's WHEN names (a later migration's AlterField).
        "update": (
            f"IF ({counted('OLD.')} OR {counted('NEW.')}) AND ({changed}) THEN "
            f"{deltas(updated)}; END IF",
            "FOR EACH ROW",
        ),
        "truncate": (f"DELETE FROM {counts}", "FOR EACH STATEMENT"),
    }
    statements = []
    for event in EVENTS:
        body, how = bodies[event]
        function = f"{name}_{event}"
        statements += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {body}; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {function} ON {table}",
            f"CREATE TRIGGER {function} AFTER {event.upper()} ON {table} {how} "
            f"EXECUTE FUNCTION {function}()",
        ]
    return statements


def _zone_function(zone: str) -> str:
    if not ZONE_NAME.fullmatch(zone):
        raise ValueError(f"{zone!r} is not a time zone name")
    return (
        "CREATE OR REPLACE FUNCTION turntide_stats_zone() RETURNS text LANGUAGE sql STABLE "
        f"AS $$ SELECT '{zone}'::text $$"
    )


# Sixteen buckets to a doubling of the time to removal (about 4 % wide); under a second is one.
BUCKET_FUNCTION = """CREATE OR REPLACE FUNCTION turntide_removal_bucket(taken interval)
    RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN extract(epoch FROM taken) < 1 THEN -1
        ELSE floor(ln(extract(epoch FROM taken)::float8) * 16 / ln(2::float8))::integer END $$"""
REMOVED = "removed_at IS NOT NULL AND actioned_at IS NOT NULL"
BUCKET_INDEX = f"""CREATE INDEX IF NOT EXISTS case_removal_bucket_idx ON cases_urlcase
    (turntide_removal_bucket(removed_at - actioned_at), removed_at) INCLUDE (actioned_at)
    WHERE {REMOVED}"""


def install() -> None:
    """Create the functions, triggers and index, and count everything (a migration's step)."""
    if connection.vendor != "postgresql":
        return
    for statement in (
        BUCKET_FUNCTION,
        BUCKET_INDEX,
        *_trigger_sql(
            "cases_assessment",
            JUDGEMENTS,
            _judgement_columns,
            _judgement_deltas,
            _decisive,
            ("decisive", *_judgement_columns),
        ),
        *_trigger_sql(
            "cases_urlcase", REMOVALS, _removal_columns, _removal_deltas, _every, _removal_columns
        ),
    ):
        execute(statement)
    rebuild()


def uninstall() -> None:
    """Drop what `install` made (undoing its migration)."""
    if connection.vendor != "postgresql":
        return
    for table, counts in (("cases_assessment", JUDGEMENTS), ("cases_urlcase", REMOVALS)):
        for event in EVENTS:
            execute(f"DROP TRIGGER IF EXISTS turntide_{counts}_{event} ON {table}")
            execute(f"DROP FUNCTION IF EXISTS turntide_{counts}_{event}()")
    execute("DROP INDEX IF EXISTS case_removal_bucket_idx")
    execute("DROP FUNCTION IF EXISTS turntide_removal_bucket(interval)")
    execute("DROP FUNCTION IF EXISTS turntide_stats_zone()")


@transaction.atomic
def rebuild() -> None:
    """Count everything afresh in the zone of TURNTIDE_TIME_ZONE (after it changed); writers
    and `compact` wait the few seconds it takes, so nothing is counted twice or missed
    (readers go on reading the old counts). Cases before judgements, as writers lock them."""
    execute("LOCK TABLE cases_urlcase, cases_assessment IN SHARE MODE")
    execute(f"LOCK TABLE {JUDGEMENTS}, {REMOVALS} IN EXCLUSIVE MODE")
    execute(_zone_function(settings.TIME_ZONE))
    execute(f"DELETE FROM {JUDGEMENTS}")
    execute(f"DELETE FROM {REMOVALS}")
    execute(_judgement_deltas(_rows("cases_assessment", _judgement_columns, 1, _decisive)))
    execute(_removal_deltas(_rows("cases_urlcase", _removal_columns, 1, _every)))


def zone() -> str | None:
    """The zone the tables were counted in; None where there are none (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    [(built_in,)] = fetch("SELECT turntide_stats_zone()")
    return str(built_in)


def ready() -> bool:
    """Whether figures may be read from these tables: PostgreSQL, counted in today's zone."""
    return zone() == settings.TIME_ZONE


def compact() -> None:
    """Merge the rows of +1 and -1 of each day and value into one. Readers see the same sums
    before and after: one statement deletes and re-inserts, in one snapshot."""
    for table, key in ((JUDGEMENTS, "day, field, value"), (REMOVALS, "day, bucket")):
        execute(
            f"""WITH gone AS (DELETE FROM {table} WHERE ({key}) IN (
                SELECT {key} FROM {table} GROUP BY {key} HAVING count(*) > 1 OR sum(n) = 0)
            RETURNING {key}, n)
            INSERT INTO {table} ({key}, n) SELECT {key}, sum(n) FROM gone
            GROUP BY {key} HAVING sum(n) <> 0"""
        )


def margins(first: date, stop: date, fields: Iterable[str] = ()) -> dict[str, dict[str, int]]:
    """Judgements made from day `first` up to `stop` (exclusive): {field: {value: count}},
    of `fields` (all when empty)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for _, field, value, n in _sums("NULL::date", first, stop, fields):
        counts[field][value] = n
    return counts


def series(
    first: date, stop: date, unit: Literal["month", "year"], fields: Iterable[str] = ()
) -> list[tuple[date, str, str, int]]:
    """(first day of the month or year, field, value, count) from day `first` up to `stop`."""
    if unit not in ("month", "year"):
        raise ValueError(f"no series by {unit!r}")
    return _sums(f"date_trunc('{unit}', day)::date", first, stop, fields)


def _sums(when: str, first: date, stop: date, fields: Iterable[str]) -> list[Any]:
    wanted = list(fields)
    keep = "AND field = ANY(%s)" if wanted else ""
    rows = fetch(
        f"""SELECT {when}, field, value, sum(n)::bigint FROM {JUDGEMENTS}
        WHERE day >= %s AND day < %s {keep} GROUP BY 1, 2, 3 HAVING sum(n) <> 0""",
        [first, stop, *([wanted] if wanted else [])],
    )
    return [(day, field, value, int(n)) for day, field, value, n in rows]


def removed(first: date, stop: date) -> int:
    """Cases removed from day `first` up to `stop` (exclusive)."""
    [(count,)] = fetch(
        f"SELECT coalesce(sum(n), 0)::bigint FROM {REMOVALS} WHERE day >= %s AND day < %s",
        [first, stop],
    )
    return int(count)


# In one statement, so in one snapshot of the counts and the cases (a removal undone meanwhile
# would leave a bucket short of its count): the removals of the days by bucket, each bucket's
# place in the order, the ranks nearest each fraction's position, and the time to removal at
# each rank, read from its bucket's index entries (case_removal_bucket_idx).
RANKED = f"""WITH buckets AS (
    SELECT bucket, sum(n)::bigint AS n FROM {REMOVALS}
    WHERE day >= %(first)s AND day < %(stop)s GROUP BY bucket HAVING sum(n) <> 0
), placed AS (
    SELECT bucket, n, sum(n) OVER (ORDER BY bucket) - n AS below FROM buckets
), total AS (
    SELECT coalesce(sum(n), 0)::bigint AS removed FROM buckets
), ranks AS (
    SELECT DISTINCT r.rank FROM total, unnest(%(fractions)s::float8[]) AS f (fraction),
    LATERAL (VALUES (floor(f.fraction * (total.removed - 1))::bigint),
        (floor(f.fraction * (total.removed - 1))::bigint + 1)) AS r (rank)
    WHERE r.rank >= 0 AND r.rank < total.removed
)
SELECT total.removed, found.rank, found.taken FROM total LEFT JOIN (
    SELECT ranks.rank, one.taken FROM ranks
    JOIN placed ON ranks.rank >= placed.below AND ranks.rank < placed.below + placed.n
    CROSS JOIN LATERAL (
        SELECT removed_at - actioned_at AS taken FROM cases_urlcase
        WHERE {REMOVED} AND turntide_removal_bucket(removed_at - actioned_at) = placed.bucket
        AND removed_at >= %(start)s AND removed_at < %(end)s
        ORDER BY 1 OFFSET ranks.rank - placed.below LIMIT 1
    ) AS one
) AS found ON true"""


def removal_ranks(
    first: date, stop: date, fractions: Sequence[float]
) -> tuple[int, dict[int, timedelta]]:
    """How many cases were removed on the days from `first` up to `stop`, and their times to
    removal at the 0-based ranks, in ascending order, nearest each fraction's position
    (`floor(f * (n - 1))` and the next): what a percentile between them needs."""
    rows = fetch(
        RANKED,
        {
            "first": first,
            "stop": stop,
            "fractions": list(fractions),
            "start": midnight(first),
            "end": midnight(stop),
        },
    )
    count = int(rows[0][0])
    return count, {int(rank): taken for _, rank, taken in rows if rank is not None}
