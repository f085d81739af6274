from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from turntide.accounts.access import staff_required
from turntide.cases import access
from turntide.cases.actions import CaseChangedMeanwhile, do_assess
from turntide.cases.forms import AssessmentForm
from turntide.cases.transitions import TransitionNotAllowed

QUEUE_PAGE_SIZE = 100


@staff_required("work_queue")
def queue(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:200]
    cases = access.queue(search)
    return render(
        request,
        "cases/queue.html",
        {"cases": cases[:QUEUE_PAGE_SIZE], "waiting": cases.count(), "search": search},
    )


@staff_required("work_queue")
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = access.case_for_staff(code)
    can_assess = request.user.has_perm("accounts.assess_case")
    form = AssessmentForm(request.POST or None) if can_assess else None
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                do_assess(request.user, case, form.save(commit=False))  # type: ignore[arg-type]
            except (CaseChangedMeanwhile, TransitionNotAllowed):
                messages.error(request, _("This case was already assessed; nothing was saved."))
            else:
                messages.success(request, _("Assessment saved."))
                return redirect("cases:queue")
    context = {
        "case": case,
        "form": form,
        "reports": case.case_reports.select_related("reported_url__report").order_by("pk"),
        "assessments": case.assessments.select_related("analyst").order_by("-assessed_at"),
    }
    return render(request, "cases/case.html", context)
