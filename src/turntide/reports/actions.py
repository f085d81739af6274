"""Receiving reports from the public form, the trusted API and imports.

Every URL is canonicalised before anything is written. The form refuses a report with any
bad line (the reporter corrects it); the API and imports keep the valid URLs and answer an
error for each invalid one. Writes are set-based (reports.batches), so a batch of a
hundred thousand URLs costs the same dozen statements as a batch of one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.bulk import execute, fetch, next_ids
from turntide.core.intake import public_canonical_and_key
from turntide.core.urls import Refusal
from turntide.reports.batches import TABLE, StagedBatch, stage
from turntide.reports.models import IntakeRequest, Report, ReportedURL, new_reference
from turntide.reports.signals import urls_reported

REPORT = Report._meta.db_table
REPORTED_URL = ReportedURL._meta.db_table


@dataclass(frozen=True, slots=True)
class SubmittedURL:
    """One URL as a reporter gave it, with the optional details trusted reporters add."""

    url: str
    content_type: str = ""
    found_at: datetime | None = None
    found_by: str = ""
    notes: str = ""
    external_reference: str = ""


@dataclass(frozen=True, slots=True)
class CheckedURL:
    position: int  # 1-based line or item number in the submission
    submitted: SubmittedURL
    canonical: str
    key: str


@dataclass(frozen=True)
class URLProblem:
    position: int
    submitted: str
    reason: str  # in English, for API clients and logs
    code: str = ""  # turntide.core.urls.Refusal's code, which forms translate by
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Checked:
    valid: list[CheckedURL] = field(default_factory=list)
    problems: list[URLProblem] = field(default_factory=list)


class InvalidReport(ValueError):
    """At least one URL has no canonical form; nothing was stored."""

    def __init__(self, problems: list[URLProblem]) -> None:
        super().__init__("; ".join(f"line {p.position}: {p.reason}" for p in problems))
        self.problems = problems


def check_urls(urls: Sequence[str | SubmittedURL]) -> Checked:
    """Canonicalise every URL, keeping the public ones and a reason for each other one.

    The one check every door passes (form, API, exchange): only web addresses on the
    public internet become cases; reserved names get in only where the settings allow
    (demo and tests).
    """
    allow_reserved = settings.TURNTIDE_INTAKE_ALLOW_RESERVED
    checked = Checked()
    for position, item in enumerate(urls, start=1):
        submitted = item if isinstance(item, SubmittedURL) else SubmittedURL(item)
        public = public_canonical_and_key(submitted.url, allow_reserved=allow_reserved)
        if isinstance(public, Refusal):
            checked.problems.append(
                URLProblem(position, submitted.url, public.reason, public.code, public.params)
            )
        else:
            canonical, key = public
            checked.valid.append(CheckedURL(position, submitted, canonical, key.hex()))
    return checked


@dataclass(frozen=True, slots=True)
class IncomingReport:
    """One report to store: its checked URLs and the report's own details."""

    urls: list[CheckedURL]
    channel: str = Report.Channel.PUBLIC
    source: str = ""
    content_type: str = ""
    found_where: str = ""
    description: str = ""
    immediate_danger: bool = False
    reference: str | None = None
    received_at: datetime | None = None


@transaction.atomic
def do_receive_report(
    actor: Actor,
    urls: Sequence[str | SubmittedURL] | Checked,
    *,
    channel: str = Report.Channel.PUBLIC,
    source: str = "",
    content_type: str = "",
    found_where: str = "",
    description: str = "",
    immediate_danger: bool = False,
    reference: str | None = None,
    received_at: datetime | None = None,
) -> tuple[Report, list[ReportedURL]]:
    """Store a report; each URL joins the case of its web address or opens one.

    Given plain URLs, any invalid one raises InvalidReport and nothing is stored. Given an
    already `Checked` batch, only its valid URLs are stored (the caller reports the rest).
    """
    if isinstance(urls, Checked):
        checked = urls
    else:
        checked = check_urls(urls)
        if checked.problems:
            raise InvalidReport(checked.problems)
    if not checked.valid:
        raise InvalidReport(checked.problems)
    incoming = IncomingReport(
        urls=checked.valid,
        channel=channel,
        source=source,
        content_type=content_type,
        found_where=found_where,
        description=description,
        immediate_danger=immediate_danger,
        reference=reference or new_reference(),
        received_at=received_at,
    )
    store_reports([incoming])
    stored = ReportedURL.objects.filter(report__reference=incoming.reference)
    reported = list(stored.select_related("report", "casereport__case").order_by("pk"))
    report = reported[0].report
    record(
        actor,
        "report.received",
        object_type="report",
        object_code=report.reference,
        details={
            "channel": channel,
            "source": source,
            "urls": len(reported),
            "immediate_danger": immediate_danger,
        },
    )
    return report, reported


@dataclass(frozen=True)
class Stored:
    """What a batch wrote: how many reports and URLs, and how many reports were known."""

    reports: int
    urls: int
    known: int


def _rows(batch: Sequence[IncomingReport], now: datetime) -> list[tuple[Any, ...]]:
    """The batch's staging rows, one per URL, in batches.COLUMNS order."""
    adapt_time = connection.ops.adapt_datetimefield_value
    count = sum(len(item.urls) for item in batch)
    row_ids = iter(next_ids(ReportedURL, count))
    rows = []
    for item in batch:
        reference = item.reference or new_reference()
        received_at = adapt_time(item.received_at or now)
        for position, url in enumerate(item.urls):
            submitted = url.submitted
            rows.append(
                (
                    next(row_ids),
                    reference,
                    position == 0,
                    received_at,
                    item.channel,
                    item.source,
                    item.content_type,
                    item.found_where,
                    item.description,
                    item.immediate_danger,
                    submitted.url,
                    url.canonical,
                    url.key,
                    submitted.content_type,
                    adapt_time(submitted.found_at),
                    submitted.found_by,
                    submitted.notes,
                    submitted.external_reference,
                )
            )
    return rows


def store_reports(batch: Sequence[IncomingReport], *, skip_known: bool = False) -> Stored:
    """Write many reports with a fixed number of statements; callers audit and hold the
    transaction.

    A URL is `first_of_its_key` when no earlier row, in the database or earlier in this
    batch, has its key. With `skip_known`, reports whose reference is already stored are
    left out (imports use it to be idempotent); otherwise a known reference is an error.
    """
    if not connection.in_atomic_block:
        # The staged rows live until the transaction ends: in autocommit, after each statement.
        raise RuntimeError("store_reports needs a transaction (transaction.atomic)")
    stage(_rows(batch, timezone.now()))
    known = 0
    if skip_known:
        known_rows = f"reference IN (SELECT reference FROM {REPORT})"
        [(known,)] = fetch(f"SELECT count(*) FROM {TABLE} WHERE opens_report AND {known_rows}")
        if known:
            execute(f"DELETE FROM {TABLE} WHERE {known_rows}")
    reports = execute(
        f"INSERT INTO {REPORT} (reference, channel, received_at, content_type, found_where,"
        " description, immediate_danger, source)"
        " SELECT reference, channel, received_at, report_content_type, found_where,"
        f" description, immediate_danger, source FROM {TABLE} WHERE opens_report ORDER BY row_id"
    )
    urls = execute(
        f"INSERT INTO {REPORTED_URL} (id, report_id, submitted, canonical_url, url_key,"
        " first_of_its_key, content_type, found_at, found_by, notes, external_reference)"
        " SELECT b.row_id, r.id, b.submitted, b.canonical_url, b.url_key,"
        f" b.row_id IN (SELECT min(row_id) FROM {TABLE} GROUP BY url_key)"
        f" AND NOT EXISTS (SELECT 1 FROM {REPORTED_URL} u WHERE u.url_key = b.url_key),"
        " b.content_type, b.found_at, b.found_by, b.notes, b.external_reference"
        f" FROM {TABLE} b JOIN {REPORT} r ON r.reference = b.reference ORDER BY b.row_id"
    )
    if urls:
        urls_reported.send(
            sender=Report,
            batch=StagedBatch(
                table=TABLE,
                urls=urls,
                sources=frozenset((item.channel, item.source) for item in batch),
                urgent=any(item.immediate_danger for item in batch),
            ),
        )
    return Stored(reports=reports, urls=urls, known=known)


def previous_answer(source: str, key: str) -> IntakeRequest | None:
    """The stored answer to an earlier request with this Idempotency-Key, if any."""
    return IntakeRequest.objects.filter(source=source, key=key).first()


def remember_answer(source: str, key: str, request_digest: str, response: object) -> None:
    """Store the answer in the caller's transaction; a concurrent twin fails on the unique key."""
    IntakeRequest.objects.create(
        source=source, key=key, request_digest=request_digest, response=response
    )
