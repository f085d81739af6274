"""Intake's URLs join the case of their web address, or open one."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from turntide.cases.models import CaseReport, URLCase
from turntide.reports.signals import url_reported


def join_case(reported_url: Any, **_: Any) -> None:
    case, _created = URLCase.objects.get_or_create(
        url_key=reported_url.url_key, defaults={"canonical_url": reported_url.canonical_url}
    )
    CaseReport.objects.create(case=case, reported_url=reported_url)
    updates: dict[str, Any] = {"report_count": F("report_count") + 1}
    if reported_url.report.immediate_danger:
        updates["immediate_danger"] = True
    URLCase.objects.filter(pk=case.pk).update(**updates)


url_reported.connect(join_case, dispatch_uid="cases.join_case")
