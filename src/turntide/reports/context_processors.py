"""Every public page, error pages included, carries the hotline's own name and logo."""

from __future__ import annotations

from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from turntide.reports.models import HotlineGuidance


def _guidance() -> HotlineGuidance:
    try:
        return HotlineGuidance.current()
    except DatabaseError:  # the 503 page is shown because the database is away
        return HotlineGuidance(pk=1)


def hotline(request: HttpRequest) -> dict[str, object]:
    """`hotline`, read only by a page that shows it (staff pages do not)."""
    return {"hotline": SimpleLazyObject(_guidance)}
