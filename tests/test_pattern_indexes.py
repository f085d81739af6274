"""The busiest tables carry no LIKE-only twin index on PostgreSQL (turntide.pattern_indexes)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL gets pattern-ops twins"
)


def index_definitions(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return [definition for (definition,) in cursor.fetchall()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "column"),
    [("cases_urlcase", "url_key"), ("cases_urlcase", "code"), ("reports_report", "reference")],
)
def test_whole_value_columns_have_their_unique_index_and_no_pattern_twin(table, column) -> None:
    on_column = [d for d in index_definitions(table) if f"({column}" in d]
    assert len(on_column) == 1
    assert "UNIQUE" in on_column[0]
    assert "pattern_ops" not in on_column[0]
