"""Temporary batch tables are planned by their actual size on PostgreSQL (turntide.bulk)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from turntide.bulk import empty_temporary_table, execute, fetch, insert_many, write_rows
from turntide.cases.models import URLCase

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite plans without table statistics"
)

PROBE = "turntide_test_probe"
PROBE_COLUMNS = [("url_key", "text", "text"), ("code", "text", "text")]
MOMENT = datetime(2026, 1, 1, tzinfo=UTC)


def statistics_state() -> float:
    """pg_class.reltuples of the probe table: -1 until it is first analyzed."""
    [(tuples,)] = fetch("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [PROBE])
    return float(tuples)


@pytest.mark.django_db
def test_a_small_batch_is_joined_through_the_index_not_by_scanning_every_case() -> None:
    times = dict.fromkeys(["created_at", "status_changed_at", "due_at"], MOMENT)
    insert_many(
        URLCase,
        [
            {"code": f"C-{n:08d}", "url_key": f"{n:064x}", "canonical_url": f"http://{n}.test/"}
            | times
            for n in range(20_000)
        ],
    )
    execute("ANALYZE cases_urlcase")
    empty_temporary_table(PROBE, PROBE_COLUMNS)
    write_rows(PROBE, ["url_key", "code"], [(f"{n:064x}", f"C-{n:08d}") for n in range(10)])

    plan = "\n".join(
        line
        for (line,) in fetch(
            "EXPLAIN SELECT c.id FROM turntide_test_probe k JOIN cases_urlcase c ON c.code = k.code"
        )
    )

    assert "Index Scan using cases_urlcase_code" in plan
    assert "Seq Scan on cases_urlcase" not in plan


@pytest.mark.django_db(transaction=True)
def test_a_table_dropped_by_a_rollback_is_analyzed_again_when_made_anew() -> None:
    @transaction.atomic
    def failing_batch() -> None:
        empty_temporary_table(PROBE, PROBE_COLUMNS)
        assert statistics_state() == 0
        raise RuntimeError("the batch failed")

    with pytest.raises(RuntimeError):
        failing_batch()

    with transaction.atomic():
        empty_temporary_table(PROBE, PROBE_COLUMNS)
        assert statistics_state() == 0
    with transaction.atomic():  # remembered now: emptied, not analyzed again
        write_rows(PROBE, ["url_key", "code"], [("k", "c")])
        execute(f"ANALYZE {PROBE}")
        empty_temporary_table(PROBE, PROBE_COLUMNS)
        assert statistics_state() == 1


@pytest.mark.django_db(transaction=True)
def test_emptied_twice_before_its_first_commit_it_is_analyzed_only_when_made() -> None:
    """Analyzed again after its rows were deleted, it would record no rows on several pages,
    and every later batch would be planned as a single row."""
    with transaction.atomic():
        empty_temporary_table(PROBE, PROBE_COLUMNS)
        write_rows(PROBE, ["url_key", "code"], [(f"k{n}", f"c{n}") for n in range(2000)])
        empty_temporary_table(PROBE, PROBE_COLUMNS)
        [(pages,)] = fetch("SELECT relpages FROM pg_class WHERE oid = %s::regclass", [PROBE])
    assert pages == 0
