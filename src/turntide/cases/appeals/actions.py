"""Writes to appeals: recording one, and a senior analyst's decision on it.

Each checks who may act, moves the appeal (and on upholding, the case) by its transition
table with a conditional update, and writes an audit event naming the appeal.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import record
from turntide.cases.models import Appeal, Assessment, URLCase
from turntide.cases.models.appeal import MAX_APPELLANT, MAX_DECISION_NOTES, MAX_GROUNDS
from turntide.cases.signals import case_outcome_changed
from turntide.cases.transitions import CASE_TRANSITIONS, TransitionNotAllowed, Transitions

APPEAL_TRANSITIONS = Transitions(
    "an appeal",
    {
        # A decided appeal is final; contest again anew.
        (Appeal.Status.OPEN, "upheld"): Appeal.Status.UPHELD,
        (Appeal.Status.OPEN, "rejected"): Appeal.Status.REJECTED,
    },
)
# A case can be appealed when its table lets an upheld appeal move it at all.
APPEALABLE_STATUSES = CASE_TRANSITIONS.statuses_taking(
    "appeal_upheld_other", "appeal_upheld_criminal"
)


class AppealNotAllowed(ValueError):
    """The appeal cannot be recorded or decided as asked; nothing was saved."""


class AppealChangedMeanwhile(RuntimeError):
    """Someone else decided the appeal, or changed its case, meanwhile; nothing was saved."""


def standing_judgement(case: URLCase) -> Assessment | None:
    """The assessment an appeal on this case contests, or None when nothing can be contested."""
    if case.status not in APPEALABLE_STATUSES:
        return None
    return case.assessments.filter(decisive=True).order_by("-assessed_at").first()


def may_decide(user: User, appeal: Appeal) -> bool:
    """A senior analyst other than the analyst whose judgement is contested."""
    return user.has_perm("accounts.verify_assessment") and appeal.assessment.analyst_id != user.pk


@transaction.atomic
def do_record_appeal(
    staff_user: User,
    case: URLCase,
    assessment: Assessment,
    appellant_kind: str,
    appellant: str,
    grounds: str,
    *,
    received_at: datetime | None = None,
) -> Appeal:
    """Record that the judgement standing for `case` is contested."""
    if not staff_user.has_perm("accounts.work_queue"):
        raise PermissionDenied("only staff who work the queue record appeals")
    appellant, grounds = appellant.strip(), grounds.strip()
    if appellant_kind not in Appeal.AppellantKind.values:
        raise AppealNotAllowed(f"unknown kind of appellant {appellant_kind!r}")
    if not appellant or len(appellant) > MAX_APPELLANT:
        raise AppealNotAllowed(f"name the appellant in at most {MAX_APPELLANT} characters")
    if not grounds or len(grounds) > MAX_GROUNDS:
        raise AppealNotAllowed(f"give the grounds in at most {MAX_GROUNDS} characters")
    standing = standing_judgement(URLCase.objects.get(pk=case.pk))
    if standing is None or standing.pk != assessment.pk:
        raise AppealNotAllowed("only the judgement that stands for a decided case is contested")
    appeal = Appeal.objects.create(
        case=case,
        assessment=assessment,
        appellant_kind=appellant_kind,
        appellant=appellant,
        grounds=grounds,
        received_at=received_at or timezone.now(),
        recorded_by=staff_user,
    )
    record(
        staff_user,
        "appeal.recorded",
        object_type="appeal",
        object_code=appeal.code,
        details={
            "case": case.code,
            "assessment": assessment.code,
            "appellant_kind": appellant_kind,
        },
    )
    return appeal


@transaction.atomic
def do_decide_appeal(
    senior_user: User,
    appeal: Appeal,
    upheld: bool,
    notes: str,
    new_assessment: Assessment | None = None,
) -> Appeal:
    """Uphold (`new_assessment` then stands for the case) or reject an open appeal.

    Raises PermissionDenied for anyone but a senior analyst other than the contested
    assessor; TransitionNotAllowed when the appeal's or the case's table refuses the
    change; AppealChangedMeanwhile when another decision won the race. Nothing is saved then.
    """
    if not may_decide(senior_user, appeal):
        raise PermissionDenied("a senior analyst other than the contested assessor decides")
    if upheld and (new_assessment is None or new_assessment.pk is not None):
        raise AppealNotAllowed("an upheld appeal needs a new judgement to replace the old")
    notes = notes.strip()
    if not upheld and not notes:
        raise AppealNotAllowed("say why the appeal is rejected")
    if len(notes) > MAX_DECISION_NOTES:
        raise AppealNotAllowed(f"keep the notes to {MAX_DECISION_NOTES} characters")
    new_status = APPEAL_TRANSITIONS.next(appeal.status, "upheld" if upheld else "rejected")
    now = timezone.now()
    decided = Appeal.objects.filter(pk=appeal.pk, status=appeal.status).update(
        status=new_status, decided_by=senior_user, decided_at=now, decision_notes=notes
    )
    if decided != 1:
        raise AppealChangedMeanwhile(appeal.code)
    details = {"case": appeal.case.code, "assessment": appeal.assessment.code}
    if new_assessment is not None and upheld:
        details |= _replace_judgement(senior_user, appeal, new_assessment, now)
        Appeal.objects.filter(pk=appeal.pk).update(new_assessment=new_assessment)
        appeal.new_assessment = new_assessment
    appeal.status, appeal.decided_by, appeal.decided_at = new_status, senior_user, now
    appeal.decision_notes = notes
    record(
        senior_user,
        f"appeal.{new_status}",
        object_type="appeal",
        object_code=appeal.code,
        details=details,
    )
    return appeal


def _replace_judgement(
    senior_user: User, appeal: Appeal, new_assessment: Assessment, now: datetime
) -> dict[str, str]:
    """Make `new_assessment` the only decisive one and move the case by the table."""
    case, contested = appeal.case, appeal.assessment
    was_criminal = contested.outcome in Assessment.CRIMINAL_OUTCOMES
    is_criminal = new_assessment.outcome in Assessment.CRIMINAL_OUTCOMES
    event = "appeal_upheld_criminal" if is_criminal else "appeal_upheld_other"
    if was_criminal != is_criminal:
        new_status = CASE_TRANSITIONS.next(case.status, event)
    elif case.status in APPEALABLE_STATUSES:
        new_status = case.status  # a regrade within criminal, or within not criminal
    else:
        raise TransitionNotAllowed(CASE_TRANSITIONS.subject, case.status, event)
    changes: dict[str, object] = {"status": new_status}
    if new_status != case.status:
        changes["status_changed_at"] = now
    if new_assessment.hosting_country:
        changes["hosting_country"] = new_assessment.hosting_country
    if URLCase.objects.filter(pk=case.pk, status=case.status).update(**changes) != 1:
        raise AppealChangedMeanwhile(appeal.code)
    # The contested judgement must still be the one standing: another upheld appeal on the
    # same case may have replaced it meanwhile.
    cleared = Assessment.objects.filter(pk=contested.pk, case=case, decisive=True)
    if cleared.update(decisive=False) != 1:
        raise AppealChangedMeanwhile(appeal.code)
    Assessment.objects.filter(case=case, decisive=True).update(decisive=False)
    new_assessment.case = case
    new_assessment.analyst = senior_user
    new_assessment.kind = Assessment.Kind.APPEAL
    new_assessment.decisive = True
    new_assessment.assessed_at = now
    new_assessment.save()
    previous_status, case.status = case.status, new_status
    case.hosting_country = str(changes.get("hosting_country", case.hosting_country))
    case_outcome_changed.send(
        sender=URLCase, case=case, previous=contested, assessment=new_assessment
    )
    return {
        "new_assessment": new_assessment.code,
        "outcome": new_assessment.outcome,
        "category": new_assessment.category,
        "from": previous_status,
        "status": new_status,
    }
