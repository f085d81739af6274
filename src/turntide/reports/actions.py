"""Receiving reports from the public form, the trusted API and imports.

Every URL is canonicalised before anything is written. The form refuses a report with any
bad line (the reporter corrects it); the API and imports keep the valid URLs and answer an
error for each invalid one. Writes are set-based, so a batch of 10,000 URLs costs a handful
of queries, not tens of thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.core.urls import InvalidURL, canonicalize, url_key
from turntide.reports.models import IntakeRequest, Report, ReportedURL, new_reference
from turntide.reports.signals import urls_reported


@dataclass(frozen=True)
class SubmittedURL:
    """One URL as a reporter gave it, with the optional details trusted reporters add."""

    url: str
    content_type: str = ""
    found_at: datetime | None = None
    found_by: str = ""
    notes: str = ""
    external_reference: str = ""


@dataclass(frozen=True)
class CheckedURL:
    position: int  # 1-based line or item number in the submission
    submitted: SubmittedURL
    canonical: str
    key: str


@dataclass(frozen=True)
class URLProblem:
    position: int
    submitted: str
    reason: str


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
    """Canonicalise every URL, keeping the valid ones and a reason for each invalid one."""
    checked = Checked()
    for position, item in enumerate(urls, start=1):
        submitted = item if isinstance(item, SubmittedURL) else SubmittedURL(item)
        try:
            canonical = canonicalize(submitted.url)
            key = url_key(submitted.url).hex()
        except InvalidURL as error:
            checked.problems.append(URLProblem(position, submitted.url, error.reason))
        else:
            checked.valid.append(CheckedURL(position, submitted, canonical, key))
    return checked


@dataclass(frozen=True)
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
        reference=reference,
        received_at=received_at,
    )
    [(report, reported)] = store_reports([incoming])
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


def store_reports(batch: Sequence[IncomingReport]) -> list[tuple[Report, list[ReportedURL]]]:
    """Write many reports with a fixed number of queries; callers audit and hold the transaction.

    A URL is `first_of_its_key` when no earlier row, in the database or earlier in this
    batch, has its key.
    """
    now = timezone.now()
    reports = Report.objects.bulk_create(
        [
            Report(
                reference=item.reference or new_reference(),
                received_at=item.received_at or now,
                channel=item.channel,
                source=item.source,
                content_type=item.content_type,
                found_where=item.found_where,
                description=item.description,
                immediate_danger=item.immediate_danger,
            )
            for item in batch
        ],
        batch_size=2000,
    )
    keys = {url.key for item in batch for url in item.urls}
    seen = set(ReportedURL.objects.filter(url_key__in=keys).values_list("url_key", flat=True))
    rows: list[ReportedURL] = []
    for report, item in zip(reports, batch, strict=True):
        for url in item.urls:
            rows.append(
                ReportedURL(
                    report=report,
                    submitted=url.submitted.url,
                    canonical_url=url.canonical,
                    url_key=url.key,
                    first_of_its_key=url.key not in seen,
                    content_type=url.submitted.content_type,
                    found_at=url.submitted.found_at,
                    found_by=url.submitted.found_by,
                    notes=url.submitted.notes,
                    external_reference=url.submitted.external_reference,
                )
            )
            seen.add(url.key)
    # SQLite and PostgreSQL both return the new ids from a bulk insert.
    stored = ReportedURL.objects.bulk_create(rows, batch_size=2000)
    urls_reported.send(sender=Report, reports=reports, reported_urls=stored)
    by_report: dict[int, list[ReportedURL]] = {report.pk: [] for report in reports}
    for row in stored:
        by_report[row.report_id].append(row)
    return [(report, by_report[report.pk]) for report in reports]


def previous_answer(source: str, key: str) -> IntakeRequest | None:
    """The stored answer to an earlier request with this Idempotency-Key, if any."""
    return IntakeRequest.objects.filter(source=source, key=key).first()


def remember_answer(source: str, key: str, request_digest: str, response: object) -> None:
    """Store the answer in the caller's transaction; a concurrent twin fails on the unique key."""
    IntakeRequest.objects.create(
        source=source, key=key, request_digest=request_digest, response=response
    )
