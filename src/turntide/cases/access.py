"""Reads of cases: every view goes through here, so an unknown code is always a 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from turntide.cases.models import Assessment, CaseReport, URLCase
from turntide.cases.queue import queue
from turntide.core.urls import url_key

Status = URLCase.Status


def workable_for(analyst: User) -> QuerySet[URLCase]:
    """The queue as this analyst may work it: verification only of others' first judgements,
    disagreements only for senior analysts."""
    cases = queue().exclude(
        status=Status.VERIFYING,
        assessments__kind=Assessment.Kind.INITIAL,
        assessments__analyst=analyst,
    )
    if analyst.has_perm("accounts.verify_assessment"):
        cases = cases.exclude(status=Status.DISPUTED, assessments__analyst=analyst)
    else:
        cases = cases.exclude(status=Status.DISPUTED)
    return cases


def case_for_staff(code: str) -> URLCase:
    return get_object_or_404(URLCase, code=code)


def case_summary_for_url(url: str) -> dict[str, Any] | None:
    """The case of `url` (any spelling) as plain data, or None. Raises InvalidURL."""
    case = URLCase.objects.filter(url_key=url_key(url).hex()).first()
    if case is None:
        return None
    origins = set(
        CaseReport.objects.filter(case=case).values_list(
            "reported_url__report__channel", "reported_url__report__source"
        )
    )
    return {
        "code": case.code,
        "canonical_url": case.canonical_url,
        "status": case.status,
        "reports": case.report_count,
        "first_reported_at": case.first_reported_at.isoformat(),
        "last_reported_at": case.last_reported_at.isoformat(),
        "sources": sorted({channel for channel, _source in origins}),
        "organisations": sorted({source for _channel, source in origins if source}),
        "immediate_danger": case.immediate_danger,
    }
