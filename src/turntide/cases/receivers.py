"""Reported URLs join the case of their web address, or open one, set-based.

The unique `url_key` decides races: two submissions of one new address insert with
ON CONFLICT DO NOTHING, and both then link to the single case that exists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.utils import timezone

from turntide.audit.actions import record
from turntide.cases.models import CaseReport, URLCase
from turntide.cases.transitions import CLOSED_STATUSES, next_status
from turntide.reports.signals import urls_reported


def join_cases(report: Any, reported_urls: list[Any], **_: Any) -> None:
    received_at = report.received_at
    first_url: dict[str, str] = {}
    for reported_url in reported_urls:
        first_url.setdefault(reported_url.url_key, reported_url.canonical_url)
    URLCase.objects.bulk_create(
        [
            URLCase(
                url_key=key,
                canonical_url=canonical,
                created_at=received_at,
                first_reported_at=received_at,
                last_reported_at=received_at,
                status_changed_at=received_at,
            )
            for key, canonical in first_url.items()
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    cases = dict(URLCase.objects.filter(url_key__in=first_url).values_list("url_key", "pk"))
    CaseReport.objects.bulk_create(
        [CaseReport(case_id=cases[r.url_key], reported_url=r) for r in reported_urls],
        batch_size=2000,
    )
    refresh_report_figures(list(cases.values()))
    if report.immediate_danger:
        URLCase.objects.filter(pk__in=cases.values()).update(immediate_danger=True)
    reopen_closed_cases(list(cases.values()), received_at)


def refresh_report_figures(case_ids: list[int]) -> None:
    """Recount from the links themselves, so concurrent intake can never drift the figures."""
    links = CaseReport.objects.filter(case=OuterRef("pk")).values("case")
    received = "reported_url__report__received_at"
    URLCase.objects.filter(pk__in=case_ids).update(
        report_count=Subquery(links.annotate(n=Count("pk")).values("n")),
        first_reported_at=Subquery(links.annotate(t=Min(received)).values("t")),
        last_reported_at=Subquery(links.annotate(t=Max(received)).values("t")),
    )


def reopen_closed_cases(case_ids: list[int], reported_at: Any) -> None:
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
