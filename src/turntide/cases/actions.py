"""Writes to cases. Each checks the allowed status change and writes an audit event."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import record
from turntide.cases.models import Assessment, URLCase
from turntide.cases.transitions import next_status


class CaseChangedMeanwhile(RuntimeError):
    """Someone else changed the case between reading and writing it; nothing was saved."""


@transaction.atomic
def do_assess(analyst: AbstractBaseUser, case: URLCase, assessment: Assessment) -> Assessment:
    """Record an assessment and move the case on (conditional update: no lost races)."""
    criminal = assessment.outcome in Assessment.CRIMINAL_OUTCOMES
    new_status = next_status(case.status, "assessed_criminal" if criminal else "assessed_other")
    changed = URLCase.objects.filter(pk=case.pk, status=case.status).update(
        status=new_status, status_changed_at=timezone.now()
    )
    if changed != 1:
        raise CaseChangedMeanwhile(case.code)
    assessment.case = case
    assessment.analyst = analyst  # type: ignore[assignment]
    assessment.save()
    case.status = new_status
    record(
        analyst,
        "case.assessed",
        object_type="case",
        object_code=case.code,
        details={
            "assessment": assessment.code,
            "outcome": assessment.outcome,
            "status": new_status,
        },
    )
    return assessment
