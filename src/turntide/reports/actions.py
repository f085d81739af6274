"""Receiving reports. Every URL is checked before anything is written: all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.core.urls import InvalidURL, canonicalize, url_key
from turntide.reports.models import Report, ReportedURL, new_reference
from turntide.reports.signals import url_reported


@dataclass(frozen=True)
class URLProblem:
    line: int
    submitted: str
    reason: str


class InvalidReport(ValueError):
    """At least one URL has no canonical form; nothing was stored."""

    def __init__(self, problems: list[URLProblem]) -> None:
        super().__init__("; ".join(f"line {p.line}: {p.reason}" for p in problems))
        self.problems = problems


def check_urls(urls: Sequence[str]) -> list[tuple[str, str, str]]:
    """Canonicalise every URL, returning (submitted, canonical, key) or raising InvalidReport."""
    checked, problems = [], []
    for line, submitted in enumerate(urls, start=1):
        try:
            checked.append((submitted, canonicalize(submitted), url_key(submitted).hex()))
        except InvalidURL as error:
            problems.append(URLProblem(line, submitted, error.reason))
    if problems:
        raise InvalidReport(problems)
    return checked


@transaction.atomic
def do_receive_report(
    actor: Actor,
    urls: Sequence[str],
    *,
    channel: str = Report.Channel.PUBLIC,
    content_type: str = "",
    found_where: str = "",
    description: str = "",
    immediate_danger: bool = False,
    reference: str | None = None,
    received_at: datetime | None = None,
) -> tuple[Report, list[ReportedURL]]:
    """Store a report and its URLs; each URL joins the case of its web address or opens one."""
    checked = check_urls(urls)
    report = Report.objects.create(
        reference=reference or new_reference(),
        received_at=received_at or timezone.now(),
        channel=channel,
        content_type=content_type,
        found_where=found_where,
        description=description,
        immediate_danger=immediate_danger,
    )
    reported = []
    for submitted, canonical, key in checked:
        seen_before = ReportedURL.objects.filter(url_key=key).exists()
        reported_url = ReportedURL.objects.create(
            report=report,
            submitted=submitted,
            canonical_url=canonical,
            url_key=key,
            first_of_its_key=not seen_before,
        )
        url_reported.send(sender=ReportedURL, reported_url=reported_url)
        reported.append(reported_url)
    record(
        actor,
        "report.received",
        object_type="report",
        object_code=report.reference,
        details={"channel": channel, "urls": len(reported), "immediate_danger": immediate_danger},
    )
    return report, reported
