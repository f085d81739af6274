"""On PostgreSQL, the queue and every kind of search are served by indexes (migration 0012):
at a million cases, reading every case took half a second or more (bench/bench_queue.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from turntide.cases.models import URLCase
from turntide.cases.queue import queue
from turntide.reports.actions import do_receive_report

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
    pytest.mark.django_db,
]


def plan(*avoided: str, search: str = "", filters: dict[str, str] | None = None) -> str:
    """The plan of the queue's first page with `avoided` kinds of plan nodes discouraged, as
    a table too large to read whole discourages them; a node with no other way stays."""
    with connection.cursor() as cursor:
        for node in avoided:
            cursor.execute(f"SET LOCAL enable_{node} = off")
    return queue(search, filters)[:100].explain()


def test_the_open_queue_and_a_status_are_read_in_priority_order_from_an_index() -> None:
    do_receive_report("public", [f"http://queue{n}.example/" for n in range(3)])
    # An incremental sort over another index's prefix is a sort too: discouraged as well.
    open_queue = plan("seqscan", "sort", "incremental_sort")
    assert "case_open_queue_idx" in open_queue
    one_status = plan("seqscan", "sort", "incremental_sort", filters={"status": "removed"})
    assert "case_priority_idx" in one_status
    assert "Sort" not in open_queue + one_status


@pytest.mark.parametrize("kind", ["code", "reference", "address", "host", "domain", "part"])
def test_every_kind_of_search_is_served_by_indexes(kind: str) -> None:
    report, [reported] = do_receive_report("public", ["http://img.site.example/a/1.html"])
    case = URLCase.objects.get(url_key=reported.url_key)
    text = {
        "code": case.code,
        "reference": report.reference,
        "address": "HTTP://IMG.SITE.EXAMPLE/a/1.html",
        "host": "img.site.example",
        "domain": "site.example",
        "part": "a/1.htm",
    }[kind]
    # Each condition an index condition, combined: a bitmap of several indexes, never a filter
    # applied to every case.
    query = plan("seqscan", "indexscan", search=text)
    assert "Seq Scan on cases_urlcase" not in query
    assert ("case_host_idx" if kind in ("host", "domain") else "case_url_trigram_idx") in query
