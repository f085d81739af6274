"""The removal of an actioned case, once availability checks have confirmed it gone."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.cases.signals import case_status_changed
from turntide.cases.transitions import CASE_TRANSITIONS


def removed_cases(start: datetime | None = None, end: datetime | None = None) -> QuerySet[URLCase]:
    """The one definition of a removal that figures count: a case whose removal clock ran
    (`actioned_at`, the first notice, to `removed_at`, confirmed gone), removed in
    [start, end) when given. The insights and the takedown figures both count these."""
    removed = URLCase.objects.filter(removed_at__isnull=False, actioned_at__isnull=False)
    if start is not None:
        removed = removed.filter(removed_at__gte=start)
    if end is not None:
        removed = removed.filter(removed_at__lt=end)
    return removed


@transaction.atomic
def confirm_removal(case: URLCase, removed_at: datetime) -> bool:
    """Move an actioned case to removed, stopping its removal clock at `removed_at`.

    A conditional update, so a case that meanwhile left `actioned` (an upheld appeal, say)
    is not moved; returns whether this call moved it. `removed_at` is the first check of the
    offline run that confirmed the removal, so time to removal is removed_at - actioned_at.
    """
    new_status = CASE_TRANSITIONS.next(case.status, "removal_confirmed")
    changed = URLCase.objects.filter(pk=case.pk, status=case.status).update(
        status=new_status, status_changed_at=timezone.now(), removed_at=removed_at
    )
    if changed != 1:
        return False
    case.status, case.removed_at = new_status, removed_at
    case_status_changed.send(sender=URLCase, case=case, status=new_status)
    record(
        "system",
        "case.removed",
        object_type="case",
        object_code=case.code,
        details={"removed_at": removed_at.isoformat()},
    )
    return True
