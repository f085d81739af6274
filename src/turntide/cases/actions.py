"""Writes to cases. Each checks the allowed status change and writes an audit event."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import record
from turntide.cases.models import Assessment, URLCase
from turntide.cases.transitions import next_status
from turntide.reports.guidance import FeedbackContact
from turntide.reports.tasks import send_outcome_feedback


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
    tell_reporters_when_decided(case)
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


def tell_reporters_when_decided(case: URLCase) -> None:
    """Queue outcome feedback for each report that left an address and is now fully decided.

    The feedback says only that the report was dealt with, never the outcome.
    """
    waiting = FeedbackContact.objects.filter(report__urls__casereport__case=case).exclude(
        report__urls__casereport__case__status=URLCase.Status.NEW
    )
    for report_id in waiting.values_list("report_id", flat=True).distinct():
        transaction.on_commit(partial(send_outcome_feedback.enqueue, report_id))
