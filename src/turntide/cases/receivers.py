"""Reported URLs join the case of their web address, or open one, set-based.

The unique `url_key` decides races: two submissions of one new address insert with
ON CONFLICT DO NOTHING, and both then link to the single case that exists. The cases are
then locked in key order (the order they were inserted in, so two batches cannot deadlock)
before their links are added and their figures recounted: a concurrent batch touching the
same case waits, then counts what this one committed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.utils import timezone

from turntide.audit.actions import record
from turntide.cases.confidence import confidence
from turntide.cases.models import CaseReport, URLCase
from turntide.cases.transitions import CLOSED_STATUSES, next_status
from turntide.reports.signals import urls_reported


def join_cases(reports: list[Any], reported_urls: list[Any], **_: Any) -> None:
    received_at = {report.pk: report.received_at for report in reports}
    target = timedelta(hours=settings.TURNTIDE_ASSESSMENT_TARGET_HOURS)
    first_seen: dict[str, Any] = {}
    for reported_url in reported_urls:
        first_seen.setdefault(reported_url.url_key, reported_url)
    URLCase.objects.bulk_create(
        [
            URLCase(
                url_key=key,
                canonical_url=row.canonical_url,
                created_at=received_at[row.report_id],
                first_reported_at=received_at[row.report_id],
                last_reported_at=received_at[row.report_id],
                status_changed_at=received_at[row.report_id],
                due_at=received_at[row.report_id] + target,
            )
            for key, row in sorted(first_seen.items())
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    locked = URLCase.objects.select_for_update().filter(url_key__in=first_seen)
    cases = dict(locked.order_by("url_key").values_list("url_key", "pk"))
    CaseReport.objects.bulk_create(
        [CaseReport(case_id=cases[r.url_key], reported_url=r) for r in reported_urls],
        batch_size=2000,
    )
    case_ids = list(cases.values())
    mark_first_reports(case_ids, reported_urls)
    refresh_report_figures(case_ids)
    raise_source_confidence(reports, reported_urls)
    urgent = {report.pk for report in reports if report.immediate_danger}
    if urgent:
        urgent_keys = {r.url_key for r in reported_urls if r.report_id in urgent}
        URLCase.objects.filter(url_key__in=urgent_keys).update(immediate_danger=True)
    reopen_closed_cases(case_ids)


def mark_first_reports(case_ids: list[int], reported_urls: list[Any]) -> None:
    """Settle `first_of_its_key` by the cases' own first links.

    Intake guessed it before taking the case locks, so two simultaneous first reports of
    one address could both have guessed "first"; links are made under the lock, so the
    lowest link of each case is exactly the first report of its address.
    """
    firsts = set(
        CaseReport.objects.filter(case_id__in=case_ids)
        .values("case")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    first_urls = set(
        CaseReport.objects.filter(pk__in=firsts).values_list("reported_url_id", flat=True)
    )
    wrong = [row for row in reported_urls if row.first_of_its_key != (row.pk in first_urls)]
    for row in wrong:
        row.first_of_its_key = row.pk in first_urls
    if wrong:
        type(wrong[0]).objects.bulk_update(wrong, ["first_of_its_key"])


def raise_source_confidence(reports: list[Any], reported_urls: list[Any]) -> None:
    """A case ranks by the most trustworthy source that reported it."""
    by_confidence: dict[float, set[str]] = {}
    report_confidence = {r.pk: confidence(r.channel, r.source) for r in reports}
    for row in reported_urls:
        by_confidence.setdefault(report_confidence[row.report_id], set()).add(row.url_key)
    for value, keys in by_confidence.items():
        URLCase.objects.filter(url_key__in=keys, source_confidence__lt=value).update(
            source_confidence=value
        )


def refresh_report_figures(case_ids: list[int]) -> None:
    """Recount from the links themselves, so concurrent intake can never drift the figures."""
    links = CaseReport.objects.filter(case=OuterRef("pk")).values("case")
    received = "reported_url__report__received_at"
    URLCase.objects.filter(pk__in=case_ids).update(
        report_count=Subquery(links.annotate(n=Count("pk")).values("n")),
        first_reported_at=Subquery(links.annotate(t=Min(received)).values("t")),
        last_reported_at=Subquery(links.annotate(t=Max(received)).values("t")),
    )


def reopen_closed_cases(case_ids: list[int]) -> None:
    """A closed case reported again goes back to the queue once its last decision is old."""
    days = settings.TURNTIDE_REOPEN_AFTER_DAYS
    if days <= 0:
        return
    cutoff = timezone.now() - timedelta(days=days)
    stale = URLCase.objects.filter(
        pk__in=case_ids, status__in=CLOSED_STATUSES, status_changed_at__lt=cutoff
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
