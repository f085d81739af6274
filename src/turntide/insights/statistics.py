"""Headline figures computed by database aggregation (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from turntide.cases.models import Assessment, URLCase
from turntide.reports.models import Report


@dataclass(frozen=True)
class Headline:
    reports_received: int
    cases_open: int
    cases_assessed: int
    urls_actioned: int


def headline() -> Headline:
    statuses = URLCase.objects.aggregate(
        open=Count("pk", filter=Q(status=URLCase.Status.NEW)),
        assessed=Count("pk", filter=~Q(status=URLCase.Status.NEW)),
    )
    actioned = (
        Assessment.objects.filter(outcome__in=Assessment.CRIMINAL_OUTCOMES)
        .values("case")
        .distinct()
        .count()
    )
    return Headline(
        reports_received=Report.objects.count(),
        cases_open=statuses["open"],
        cases_assessed=statuses["assessed"],
        urls_actioned=actioned,
    )
