"""Reads of cases: every view goes through here, so an unknown code is always a 404."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from turntide.cases.models import Assessment, CaseReport, URLCase
from turntide.cases.priority import queue_order
from turntide.cases.transitions import WORKABLE_STATUSES
from turntide.core.urls import InvalidURL, canonical_and_key, url_key

Status = URLCase.Status


# The queue's sortable columns: the name in `?sort=` and the order it stands for.
SORTS = {
    "danger": "immediate_danger",
    "status": "status",
    "reports": "report_count",
    "source": "source_confidence",
    "country": "hosting_country",
    "due": "due_at",
}


def queue(
    search: str = "", filters: dict[str, str] | None = None, sort: str = ""
) -> QuerySet[URLCase]:
    """Workable cases in priority order (cases.priority), narrowed by filters; with `search`
    or a `status` filter, cases in every status (see `matching`).

    Filters: `status`, `source` (a report channel), `country` (hosting country) and
    `waiting` (hours). `sort`: a key of SORTS, descending with a leading "-".
    """
    filters = filters or {}
    cases = URLCase.objects.all()
    if search:
        cases = cases.filter(matching(search))
    if filters.get("status") in Status.values:
        cases = cases.filter(status=filters["status"])
    elif not search:
        cases = cases.filter(status__in=WORKABLE_STATUSES)
    if filters.get("source"):
        cases = cases.filter(case_reports__reported_url__report__channel=filters["source"])
    if filters.get("country"):
        cases = cases.filter(hosting_country=filters["country"].upper()[:2])
    if re.fullmatch(r"[0-9]{1,5}", filters.get("waiting", "")):
        since = timezone.now() - timedelta(hours=int(filters["waiting"]))
        cases = cases.filter(first_reported_at__lte=since)
    descending, key = sort.startswith("-"), sort.removeprefix("-")
    order = [("-" if descending else "") + SORTS[key]] if key in SORTS else []
    return cases.distinct().order_by(*order, *queue_order()).select_related("claimed_by")


def matching(text: str) -> Q:
    """Cases that `text` names: a case code, a report reference, any spelling of a URL, a
    host or a domain (every host under it), or part of a canonical address."""
    text = text.strip()
    references = CaseReport.objects.filter(reported_url__report__reference=text.upper())
    match = Q(code=text.upper()) | Q(pk__in=references.values("case_id"))
    try:
        canonical, key = canonical_and_key(text)
    except InvalidURL:
        return match | Q(canonical_url__icontains=text)
    host, _slash, rest = canonical.partition("://")[2].partition("/")
    if rest or "." not in host:
        return match | Q(url_key=key.hex()) | Q(canonical_url__icontains=text)
    # A host name alone: every address on it and on the hosts under it, and no other
    # address that merely contains it (site.example is not site.example.com).
    return match | Q(canonical_url__regex=rf"^https?://([^/]*\.)?{re.escape(host)}/")


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
