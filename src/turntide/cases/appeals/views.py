"""Appeal pages: record one from a case, list the open ones, read and decide one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from turntide.access import signed_in_user, staff_required
from turntide.cases import access
from turntide.cases.appeals.actions import (
    AppealChangedMeanwhile,
    AppealNotAllowed,
    do_decide_appeal,
    do_record_appeal,
    may_decide,
    standing_judgement,
)
from turntide.cases.appeals.forms import AppealDecisionForm, AppealJudgementForm, RecordAppealForm
from turntide.cases.models import Appeal
from turntide.cases.transitions import TransitionNotAllowed

OPEN_PAGE_SIZE = 200


@staff_required("verify_assessment")
def open_appeals(request: HttpRequest) -> HttpResponse:
    appeals = Appeal.objects.filter(status=Appeal.Status.OPEN).order_by("received_at")
    context = {
        "appeals": appeals.select_related("case", "assessment")[:OPEN_PAGE_SIZE],
        "waiting": appeals.count(),
    }
    return render(request, "cases/appeals/list.html", context)


@staff_required("work_queue", hide=True)
def record_appeal(request: HttpRequest, case_code: str) -> HttpResponse:
    case = access.case_for_staff(case_code)
    contested = standing_judgement(case)
    form = RecordAppealForm(request.POST or None)
    if request.method == "POST" and contested is not None and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = do_record_appeal(
                signed_in_user(request),
                case,
                contested,
                data["appellant_kind"],
                data["appellant"],
                data["grounds"],
                received_at=data["received_at"],
            )
        except AppealNotAllowed:
            messages.error(request, _("The judgement changed meanwhile; nothing was saved."))
        else:
            messages.success(request, _("Appeal %(code)s recorded.") % {"code": appeal.code})
            return redirect("appeals:appeal", code=appeal.code)
    context = {"case": case, "contested": contested, "form": form}
    return render(request, "cases/appeals/record.html", context)


@staff_required("work_queue", hide=True)
def appeal_detail(request: HttpRequest, code: str) -> HttpResponse:
    appeal = get_object_or_404(
        Appeal.objects.select_related("case", "assessment__analyst", "recorded_by", "decided_by"),
        code=code,
    )
    user = signed_in_user(request)
    can_decide = appeal.status == Appeal.Status.OPEN and may_decide(user, appeal)
    data = request.POST if request.method == "POST" else None
    decision = AppealDecisionForm(data)
    judgement = AppealJudgementForm(data, case=appeal.case, contested=appeal.assessment)
    status = 200
    if request.method == "POST":
        if not may_decide(user, appeal):
            raise PermissionDenied
        upheld = decision.is_valid() and decision.upheld
        if decision.is_valid() and (not upheld or judgement.is_valid()):
            try:
                do_decide_appeal(
                    user,
                    appeal,
                    upheld,
                    decision.cleaned_data["decision_notes"],
                    judgement.save(commit=False) if upheld else None,
                )
            except (AppealChangedMeanwhile, TransitionNotAllowed):
                messages.error(request, _("The appeal or its case changed; nothing was saved."))
                status = 409
            except AppealNotAllowed as refusal:
                messages.error(request, str(refusal))
                status = 409
            else:
                messages.success(request, _("Decision saved."))
                return redirect("appeals:open")
        if not upheld:  # the judgement form plays no part in a rejection
            judgement = AppealJudgementForm(case=appeal.case, contested=appeal.assessment)
    context = {
        "appeal": appeal,
        "case": appeal.case,
        "assessments": appeal.case.assessments.select_related("analyst").order_by("assessed_at"),
        "can_decide": can_decide,
        "decision": decision,
        "judgement": judgement,
    }
    return render(request, "cases/appeals/appeal.html", context, status=status)
