"""Reads of cases: every view goes through here, so an unknown code is always a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from turntide.cases.models import URLCase


def queue() -> QuerySet[URLCase]:
    """Open cases in priority order: immediate danger, then most reported, then oldest."""
    return URLCase.objects.filter(status=URLCase.Status.NEW).order_by(
        "-immediate_danger", "-report_count", "created_at"
    )


def case_for_staff(code: str) -> URLCase:
    return get_object_or_404(URLCase, code=code)
