"""Reads of cases: every view goes through here, so an unknown code is always a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from turntide.cases.models import URLCase


def queue(search: str = "") -> QuerySet[URLCase]:
    """Open cases in priority order: immediate danger, then most reported, then oldest.

    `search` narrows to cases whose code or canonical URL contains it.
    """
    cases = URLCase.objects.filter(status=URLCase.Status.NEW)
    if search:
        cases = cases.filter(Q(code__iexact=search) | Q(canonical_url__icontains=search))
    return cases.order_by("-immediate_danger", "-report_count", "created_at")


def case_for_staff(code: str) -> URLCase:
    return get_object_or_404(URLCase, code=code)
