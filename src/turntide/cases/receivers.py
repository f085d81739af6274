"""Reported URLs join the case of their web address, or open one, set-based.

Intake stages each batch in a table (reports.batches) and every step here is one statement
over it, whatever the batch's size. The unique `url_key` decides races: two submissions of
one new address insert with ON CONFLICT DO NOTHING, and both then link to the single case
that exists. The cases are then locked in key order (the order they were inserted in, so two
batches cannot deadlock) before their links are added and their figures counted forward: a
concurrent batch touching the same case waits, then adds to what this one committed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from turntide.audit.actions import record
from turntide.bulk import (
    empty_temporary_table,
    execute,
    fetch,
    insert_select,
    is_postgresql,
    write_rows,
)
from turntide.cases.confidence import confidence
from turntide.cases.models import CaseReport, URLCase
from turntide.cases.transitions import CASE_TRANSITIONS, CLOSED_STATUSES
from turntide.core.codes import new_codes
from turntide.reports.batches import StagedBatch
from turntide.reports.models import Report, ReportedURL
from turntide.reports.signals import urls_reported

CASE = URLCase._meta.db_table
LINK = CaseReport._meta.db_table
REPORT = Report._meta.db_table
REPORTED_URL = ReportedURL._meta.db_table
# Codes are drawn at random; a draw that meets an existing code is drawn again.
CODE_DRAWS = 5
# Sources' confidences, when a batch names more than INLINE_SOURCES of them.
INLINE_SOURCES = 100
SCORES = "turntide_source_confidence"
SCORES_COLUMNS = [
    ("channel", "text", "text"),
    ("source", "text", "text"),
    ("confidence", "double precision", "real"),
]
# New cases' codes and due times, drawn in Python for the addresses that lack a case.
CODES = "turntide_new_case_codes"
CODES_COLUMNS = [
    ("url_key", "text", "text"),
    ("code", "text", "text"),
    ("due_at", "timestamptz", "datetime"),
]


def join_cases(batch: StagedBatch, **_: Any) -> None:
    figures, params = per_address(batch)
    opened = open_cases(batch, figures, params)
    if is_postgresql():
        lock_cases(batch)
    linked = execute(
        f"INSERT INTO {LINK} (case_id, reported_url_id)"
        f" SELECT c.id, b.row_id FROM {batch.table} b"
        f" JOIN {CASE} c ON c.url_key = b.url_key ORDER BY b.row_id"
    )
    if linked != batch.urls:
        raise RuntimeError(f"{batch.urls - linked} reported URLs found no case")
    settle_first_reports(batch)
    update_cases(batch, figures, params, opened)
    reopen_closed_cases(batch)


def per_address(batch: StagedBatch) -> tuple[str, list[Any]]:
    """SQL for the batch's figures per address: its first row, reports, first and last
    report times, the best confidence among its sources, and whether any report is urgent.

    A few sources are spelled into the statement; an import naming many goes through a
    table of their confidences instead (statements have a limit on parameters).
    """
    params: list[Any] = []
    scores = [(channel, source, confidence(channel, source)) for channel, source in batch.sources]
    if len(scores) > INLINE_SOURCES:
        empty_temporary_table(SCORES, SCORES_COLUMNS)
        write_rows(SCORES, [name for name, _pg, _sqlite in SCORES_COLUMNS], scores)
        best = "coalesce(s.confidence, 0)"
        join = f" LEFT JOIN {SCORES} s ON s.channel = b.channel AND s.source = b.source"
    else:
        best = "CASE"
        for score in sorted(scores):
            best += " WHEN b.channel = %s AND b.source = %s THEN %s"
            params += score
        best = f"{best} ELSE 0 END" if scores else "0"
        join = ""
    sql = (
        "SELECT b.url_key AS url_key, min(b.row_id) AS first_row, count(*) AS reports,"
        " min(b.received_at) AS first_at, max(b.received_at) AS last_at,"
        f" max({best}) AS confidence,"
        " max(CASE WHEN b.immediate_danger THEN 1 ELSE 0 END) AS urgent"
        f" FROM {batch.table} b{join} GROUP BY b.url_key"
    )
    return sql, params


def open_cases(batch: StagedBatch, figures: str, params: list[Any]) -> bool:
    """A case for each address of the batch that has none, opened at its first report with
    the batch's figures; whether any was opened (their codes are then in CODES)."""
    target = timedelta(hours=settings.TURNTIDE_ASSESSMENT_TARGET_HOURS)
    lacking = (
        f"FROM ({figures}) a JOIN {batch.table} b ON b.row_id = a.first_row"
        f" JOIN {CODES} k ON k.url_key = a.url_key"
        f" WHERE NOT EXISTS (SELECT 1 FROM {CASE} c WHERE c.url_key = a.url_key)"
    )
    for draw in range(CODE_DRAWS):
        new = fetch(
            f"SELECT a.url_key, b.received_at FROM ({figures}) a"
            f" JOIN {batch.table} b ON b.row_id = a.first_row"
            f" WHERE NOT EXISTS (SELECT 1 FROM {CASE} c WHERE c.url_key = a.url_key)",
            params,
        )
        if not new:
            return draw > 0
        adapt_time = connection.ops.adapt_datetimefield_value
        if draw == 0:
            empty_temporary_table(CODES, CODES_COLUMNS)
        else:  # keep the codes of the cases opened so far, draw afresh for the rest
            execute(
                f"DELETE FROM {CODES} WHERE NOT EXISTS"
                f" (SELECT 1 FROM {CASE} c WHERE c.url_key = {CODES}.url_key)"
            )
        write_rows(
            CODES,
            ["url_key", "code", "due_at"],
            [
                (key, code, adapt_time(received + target))
                for (key, received), code in zip(new, distinct_codes(len(new)), strict=True)
            ],
        )
        redraw_taken_codes()
        # Skips an address another batch opened meanwhile (and a code taken since the check
        # above, which then draws again).
        opened = insert_select(
            URLCase,
            {
                "code": "k.code",
                "url_key": "a.url_key",
                "canonical_url": "b.canonical_url",
                "created_at": "b.received_at",
                "status_changed_at": "b.received_at",
                "due_at": "k.due_at",
                "report_count": "a.reports",
                "first_reported_at": "a.first_at",
                "last_reported_at": "a.last_at",
                "source_confidence": "a.confidence",
                "immediate_danger": "a.urgent = 1",
            },
            lacking + " ORDER BY a.url_key",
            params,
            skip_conflicts=True,
        )
        if opened == len(new):
            return True
    raise RuntimeError(f"could not draw unused case codes in {CODE_DRAWS} tries")


def distinct_codes(count: int) -> list[str]:
    """`count` codes, none twice: forty random bits repeat within a large batch."""
    codes = dict.fromkeys(new_codes("C", count))
    while len(codes) < count:
        codes.update(dict.fromkeys(new_codes("C", count - len(codes))))
    return list(codes)


def redraw_taken_codes() -> None:
    """Replace drawn codes that existing cases already carry, before inserting.

    A clash found by the insert itself would open that case on a later insert, out of key
    order, and two batches could then deadlock on each other's new cases.
    """
    for _draw in range(CODE_DRAWS):
        taken = fetch(
            f"SELECT k.code FROM {CODES} k JOIN {CASE} c ON c.code = k.code"
            " WHERE c.url_key <> k.url_key"
        )
        if not taken:
            return
        drawn = {code for (code,) in fetch(f"SELECT code FROM {CODES}")}
        for (code,), replacement in zip(taken, distinct_codes(len(taken)), strict=True):
            if replacement not in drawn:
                execute(f"UPDATE {CODES} SET code = %s WHERE code = %s", [replacement, code])
    raise RuntimeError(f"could not draw unused case codes in {CODE_DRAWS} tries")


def lock_cases(batch: StagedBatch) -> None:
    """Lock the batch's cases in key order, so concurrent batches queue instead of deadlock."""
    fetch(
        f"SELECT count(*) FROM (SELECT 1 FROM {CASE} WHERE url_key IN"
        f" (SELECT url_key FROM {batch.table}) ORDER BY url_key FOR UPDATE) AS locked"
    )


def settle_first_reports(batch: StagedBatch) -> None:
    """Settle `first_of_its_key` by the cases' own first links.

    Intake guessed it before taking the case locks, so two simultaneous first reports of
    one address could both have guessed "first"; links are made under the lock, so the
    lowest link of each case is exactly the first report of its address. A guess can only
    be wrong that way round.
    """
    execute(
        f"UPDATE {REPORTED_URL} SET first_of_its_key = %s"
        f" WHERE first_of_its_key AND id IN (SELECT row_id FROM {batch.table})"
        f" AND EXISTS (SELECT 1 FROM {LINK} mine JOIN {LINK} earlier"
        " ON earlier.case_id = mine.case_id AND earlier.id < mine.id"
        f" WHERE mine.reported_url_id = {REPORTED_URL}.id)",
        [False],
    )


def update_cases(batch: StagedBatch, figures: str, params: list[Any], opened: bool) -> None:
    """Add the batch's reports to the cases it did not open, raising their confidence and
    urgency to the batch's.

    Counting forward is exact because every case is locked first: a concurrent batch on the
    same case waits, then adds to what this one committed. A case with no report yet (one
    from a historical import) takes its report times from the batch.
    """
    case = CASE
    # Those this batch opened already have its figures: their code is the one drawn here.
    not_opened = (
        f" AND NOT EXISTS (SELECT 1 FROM {CODES} k WHERE k.url_key = {case}.url_key"
        f" AND k.code = {case}.code)"
        if opened
        else ""
    )
    execute(
        f"UPDATE {case} SET report_count = {case}.report_count + a.reports,"
        f" first_reported_at = CASE WHEN {case}.report_count = 0"
        f" OR a.first_at < {case}.first_reported_at THEN a.first_at"
        f" ELSE {case}.first_reported_at END,"
        f" last_reported_at = CASE WHEN {case}.report_count = 0"
        f" OR a.last_at > {case}.last_reported_at THEN a.last_at ELSE {case}.last_reported_at END,"
        f" source_confidence = CASE WHEN a.confidence > {case}.source_confidence"
        f" THEN a.confidence ELSE {case}.source_confidence END,"
        f" immediate_danger = ({case}.immediate_danger OR a.urgent = 1)"
        f" FROM ({figures}) AS a WHERE {case}.url_key = a.url_key{not_opened}",
        params,
    )


def reopen_closed_cases(batch: StagedBatch) -> None:
    """A closed case reported again goes back to the queue once its last decision is old."""
    days = settings.TURNTIDE_REOPEN_AFTER_DAYS
    if days <= 0:
        return
    cutoff = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(days=days))
    closed = ", ".join(["%s"] * len(CLOSED_STATUSES))
    # Plain SQL: nearly every batch finds none, and the ORM's query costs a request ~1 ms.
    stale = fetch(
        f"SELECT id, code, status FROM {CASE} WHERE status IN ({closed})"
        f" AND status_changed_at < %s AND url_key IN (SELECT url_key FROM {batch.table})",
        [*CLOSED_STATUSES, cutoff],
    )
    for pk, code, status in stale:
        new_status = CASE_TRANSITIONS.next(status, "reported_again")
        changed = URLCase.objects.filter(pk=pk, status=status).update(
            status=new_status, status_changed_at=timezone.now()
        )
        if changed:
            record(
                "system",
                "case.reopened",
                object_type="case",
                object_code=code,
                details={"from": status, "rule": f"closed more than {days} days"},
            )


urls_reported.connect(join_cases, dispatch_uid="cases.join_cases")
