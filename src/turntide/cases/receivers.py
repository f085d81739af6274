"""Reported URLs join the case of their web address, or open one, set-based.

Intake stages each batch in a table (reports.batches) and every step here is one statement
over it, whatever the batch's size. The unique `url_key` decides races: two submissions of
one new address insert with ON CONFLICT DO NOTHING, and both then link to the single case
that exists. The cases are then locked in key order (the order they were inserted in, so two
batches cannot deadlock) before their links are added and their figures recounted: a
concurrent batch touching the same case waits, then counts what this one committed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models.expressions import RawSQL
from django.utils import timezone

from turntide.audit.actions import record
from turntide.bulk import execute, fetch, insert_many, is_postgresql
from turntide.cases.confidence import confidence
from turntide.cases.models import CaseReport, URLCase
from turntide.cases.transitions import CLOSED_STATUSES, next_status
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


def join_cases(batch: StagedBatch, **_: Any) -> None:
    open_cases(batch)
    if is_postgresql():
        lock_cases(batch)
    execute(
        f"INSERT INTO {LINK} (case_id, reported_url_id)"
        f" SELECT c.id, b.row_id FROM {batch.table} b"
        f" JOIN {CASE} c ON c.url_key = b.url_key ORDER BY b.row_id"
    )
    settle_first_reports(batch)
    refresh_report_figures(batch)
    raise_source_confidence(batch)
    if batch.urgent:
        execute(
            f"UPDATE {CASE} SET immediate_danger = %s WHERE NOT immediate_danger AND url_key IN"
            f" (SELECT url_key FROM {batch.table} WHERE immediate_danger)",
            [True],
        )
    reopen_closed_cases(batch)


def open_cases(batch: StagedBatch) -> None:
    """A case for each address of the batch that has none, opened at its first report."""
    target = timedelta(hours=settings.TURNTIDE_ASSESSMENT_TARGET_HOURS)
    lacking = (
        f"SELECT url_key, canonical_url, received_at FROM {batch.table} b"
        f" WHERE row_id IN (SELECT min(row_id) FROM {batch.table} GROUP BY url_key)"
        f" AND NOT EXISTS (SELECT 1 FROM {CASE} c WHERE c.url_key = b.url_key)"
        " ORDER BY url_key"
    )
    for _draw in range(CODE_DRAWS):
        new = fetch(lacking)
        if not new:
            return
        rows = [
            {
                "code": code,
                "url_key": key,
                "canonical_url": canonical,
                "created_at": received_at,
                "status_changed_at": received_at,
                "first_reported_at": received_at,
                "last_reported_at": received_at,
                "due_at": received_at + target,
            }
            for code, (key, canonical, received_at) in zip(
                new_codes("C", len(new)), new, strict=True
            )
        ]
        # Skips an address another batch opened meanwhile, and a code already taken: that
        # address is still lacking and draws again.
        insert_many(URLCase, rows, skip_conflicts=True)
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


def refresh_report_figures(batch: StagedBatch) -> None:
    """Recount from the links themselves, so concurrent intake can never drift the figures."""
    execute(
        f"UPDATE {CASE} SET report_count = figures.reports,"
        " first_reported_at = figures.first_at, last_reported_at = figures.last_at"
        " FROM (SELECT l.case_id AS case_id, count(*) AS reports,"
        " min(r.received_at) AS first_at, max(r.received_at) AS last_at"
        f" FROM {LINK} l JOIN {REPORTED_URL} u ON u.id = l.reported_url_id"
        f" JOIN {REPORT} r ON r.id = u.report_id"
        f" WHERE l.case_id IN (SELECT c.id FROM {CASE} c JOIN {batch.table} b"
        " ON b.url_key = c.url_key) GROUP BY l.case_id) AS figures"
        f" WHERE {CASE}.id = figures.case_id"
    )


def raise_source_confidence(batch: StagedBatch) -> None:
    """A case ranks by the most trustworthy source that reported it."""
    for channel, source in batch.sources:
        value = confidence(channel, source)
        execute(
            f"UPDATE {CASE} SET source_confidence = %s WHERE source_confidence < %s"
            f" AND url_key IN (SELECT url_key FROM {batch.table} WHERE channel = %s"
            " AND source = %s)",
            [value, value, channel, source],
        )


def reopen_closed_cases(batch: StagedBatch) -> None:
    """A closed case reported again goes back to the queue once its last decision is old."""
    days = settings.TURNTIDE_REOPEN_AFTER_DAYS
    if days <= 0:
        return
    cutoff = timezone.now() - timedelta(days=days)
    stale = URLCase.objects.filter(
        url_key__in=RawSQL(f"SELECT url_key FROM {batch.table}", ()),
        status__in=CLOSED_STATUSES,
        status_changed_at__lt=cutoff,
    )
    for case in stale:
        new_status = next_status(case.status, "reported_again")
        changed = URLCase.objects.filter(pk=case.pk, status=case.status).update(
            status=new_status, status_changed_at=timezone.now()
        )
        if changed:
            record(
                "system",
                "case.reopened",
                object_type="case",
                object_code=case.code,
                details={"from": case.status, "rule": f"closed more than {days} days"},
            )


urls_reported.connect(join_cases, dispatch_uid="cases.join_cases")
