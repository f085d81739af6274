"""Writes to cases. Each checks the allowed status change and writes an audit event."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from turntide.audit.actions import record
from turntide.cases import access
from turntide.cases.models import Assessment, SavedView, URLCase
from turntide.cases.signals import case_status_changed
from turntide.cases.tasks import feedback_when_decided
from turntide.cases.transitions import CASE_TRANSITIONS, WORKABLE_STATUSES
from turntide.cases.verification import first_judgement, judgements_agree, verification_reason
from turntide.reports.models import FeedbackContact

Status = URLCase.Status


class CaseChangedMeanwhile(RuntimeError):
    """Someone else changed the case between reading and writing it; nothing was saved."""


class NotYours(PermissionError):
    """The case is claimed by another analyst, or this analyst may not take this step."""


AUDIT_ACTIONS: dict[str, str] = {
    Assessment.Kind.INITIAL: "case.assessed",
    Assessment.Kind.VERIFICATION: "case.verified",
    Assessment.Kind.DECISION: "case.decided",
}


def claim_lapse_cutoff() -> datetime:
    return timezone.now() - timedelta(minutes=settings.TURNTIDE_CLAIM_IDLE_MINUTES)


def claimable(analyst: User) -> Q:
    """Unclaimed, lapsed, or already this analyst's."""
    return Q(claimed_by=None) | Q(claimed_at__lt=claim_lapse_cutoff()) | Q(claimed_by=analyst)


@transaction.atomic
def do_claim(analyst: User, case: URLCase) -> bool:
    """Take the case if nobody else holds it: a conditional update only one analyst can win.

    Taking a case one already holds only renews the claim, so it is audited once.
    """
    now = timezone.now()
    workable = URLCase.objects.filter(pk=case.pk, status__in=WORKABLE_STATUSES)
    held = Q(claimed_by=analyst, claimed_at__gte=claim_lapse_cutoff())
    renewed = workable.filter(held).update(claimed_at=now)
    claimed = renewed or workable.filter(claimable(analyst)).update(
        claimed_by=analyst, claimed_at=now
    )
    if claimed:
        case.claimed_by, case.claimed_at = analyst, now
    if claimed and not renewed:
        record(analyst, "case.claimed", object_type="case", object_code=case.code)
    return claimed == 1


def do_claim_next(analyst: User, skipped: Collection[str] = ()) -> URLCase | None:
    """Claim the highest-priority case this analyst may work on, or None when none is left.

    `skipped`: codes of cases this analyst just skipped, which are not handed back to them.
    """
    cases = access.workable_for(analyst).filter(claimable(analyst)).exclude(code__in=skipped)
    for case in cases[:20]:
        if do_claim(analyst, case):
            return case
    return None


@transaction.atomic
def do_release(analyst: User, case: URLCase) -> None:
    released = URLCase.objects.filter(pk=case.pk, claimed_by=analyst).update(
        claimed_by=None, claimed_at=None
    )
    if released:
        record(analyst, "case.released", object_type="case", object_code=case.code)


def who_acts_instead(analyst: User, case: URLCase) -> str | None:
    """None when this analyst may record the case's next judgement, else who may instead."""
    if case.status == Status.VERIFYING and first_judgement(case).analyst_id == analyst.pk:
        return "a second analyst must verify this assessment; its author cannot"
    if case.status == Status.DISPUTED:
        if not analyst.has_perm("accounts.verify_assessment"):
            return "only a senior analyst decides a disagreement"
        if case.assessments.filter(analyst=analyst).exists():
            return "a senior analyst who made neither judgement decides it"
    return None


def _step(analyst: User, case: URLCase, assessment: Assessment) -> tuple[str, str, str]:
    """(assessment kind, transition event, reason) for the next judgement on this case."""
    criminal = assessment.outcome in Assessment.CRIMINAL_OUTCOMES
    suffix = "criminal" if criminal else "other"
    if case.status == Status.NEW:
        reason = verification_reason(case, assessment)
        if reason:
            return Assessment.Kind.INITIAL, "assessed_for_verification", reason
        return Assessment.Kind.INITIAL, f"assessed_{suffix}", ""
    if refusal := who_acts_instead(analyst, case):
        raise NotYours(refusal)
    if case.status == Status.VERIFYING:
        if judgements_agree(first_judgement(case), assessment):
            return Assessment.Kind.VERIFICATION, f"verified_{suffix}", "agrees"
        return Assessment.Kind.VERIFICATION, "verification_disagreed", "disagrees"
    if case.status == Status.DISPUTED:
        return Assessment.Kind.DECISION, f"decided_{suffix}", ""
    return Assessment.Kind.INITIAL, f"assessed_{suffix}", ""  # the table refuses it


@transaction.atomic
def do_assess(analyst: User, case: URLCase, assessment: Assessment) -> Assessment:
    """Record the next judgement on a case: first, verification, or a senior's decision.

    The case moves by the transition table with a conditional update, so a judgement made
    on a stale page, or by an analyst whose claim was taken over, changes nothing.
    """
    kind, event, reason = _step(analyst, case, assessment)
    new_status = CASE_TRANSITIONS.next(case.status, event)
    changed = (
        URLCase.objects.filter(pk=case.pk, status=case.status)
        .filter(claimable(analyst))
        .update(
            status=new_status,
            status_changed_at=timezone.now(),
            claimed_by=None,
            claimed_at=None,
            hosting_country=assessment.hosting_country,
        )
    )
    if changed != 1:
        raise CaseChangedMeanwhile(case.code)
    assessment.case = case
    assessment.analyst = analyst
    assessment.kind = kind
    if case.claimed_by_id == analyst.pk:
        assessment.started_at = case.claimed_at
    # Standing judgement: an unverified first one, or a decision; an agreeing verification
    # leaves the first one standing, a disagreeing one waits for the senior.
    assessment.decisive = event.startswith(("assessed_criminal", "assessed_other", "decided_"))
    if assessment.decisive or event.startswith("verified_"):
        case.assessments.filter(decisive=True).update(decisive=False)
    if event.startswith("verified_"):
        case.assessments.filter(pk=first_judgement(case).pk).update(decisive=True)
    assessment.save()
    case.status = new_status
    case_status_changed.send(sender=URLCase, case=case, status=new_status)
    tell_reporters_when_decided(case)
    record(
        analyst,
        AUDIT_ACTIONS[kind],
        object_type="case",
        object_code=case.code,
        details={
            "assessment": assessment.code,
            "outcome": assessment.outcome,
            "category": assessment.category,
            "status": new_status,
            "reason": reason,
        },
    )
    return assessment


def tell_reporters_when_decided(case: URLCase) -> None:
    """After commit, check each report with a reporter's address: once all its addresses
    are decided, the reporter hears that it was dealt with (never the outcome)."""
    if case.status in WORKABLE_STATUSES:
        return
    waiting = FeedbackContact.objects.filter(report__urls__casereport__case=case)
    for report_id in waiting.values_list("report_id", flat=True).distinct():
        transaction.on_commit(partial(feedback_when_decided.enqueue, report_id))


def do_save_view(analyst: User, name: str, query: str) -> SavedView:
    """Save (or replace) a named queue view; views are private to their owner."""
    view, _created = SavedView.objects.update_or_create(
        owner=analyst, name=name, defaults={"query": query}
    )
    return view


def do_delete_view(analyst: User, name: str) -> None:
    SavedView.objects.filter(owner=analyst, name=name).delete()
