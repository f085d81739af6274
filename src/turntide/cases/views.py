"""The analyst workspace: queue, next case, one case, assessment."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from turntide.access import signed_in_user, staff_required
from turntide.cases import access, welfare
from turntide.cases import queue as queues
from turntide.cases.actions import (
    CaseChangedMeanwhile,
    NotYours,
    claim_lapse_cutoff,
    do_assess,
    do_claim,
    do_claim_next,
    do_delete_view,
    do_release,
    do_save_view,
    who_acts_instead,
)
from turntide.cases.forms import AssessmentForm
from turntide.cases.models import Assessment, URLCase
from turntide.cases.schemes import self_generated_label, terms
from turntide.cases.timeline import timeline
from turntide.cases.transitions import WORKABLE_STATUSES, TransitionNotAllowed
from turntide.cases.verification import current_round, side_by_side

# Session key: {case code: when this analyst skipped it}; "next" passes these over while
# the claim idle time lasts, so a skip is not answered with the same case.
SKIPPED = "cases.skipped"
OUTCOME_FIRST_CHOICE = "id_outcome_0"


@staff_required("work_queue")
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        **queues.page_of(request.GET),
        "lapse_cutoff": claim_lapse_cutoff(),
        "now": timezone.now(),
        "today": welfare.today_for(signed_in_user(request)),
        "saved_views": signed_in_user(request).saved_views.all(),
    }
    return render(request, "cases/queue.html", context)


@require_POST
@staff_required("work_queue")
def saved_views(request: HttpRequest) -> HttpResponse:
    """Save the current filters under a name, or delete a saved view."""
    name = request.POST.get("name", "").strip()[:80]
    if not name:
        messages.error(request, _("Give the view a name."))
    elif request.POST.get("delete"):
        do_delete_view(signed_in_user(request), name)
    else:
        allowed = {k: v[:200] for k, v in request.POST.items() if k in ("q", *queues.FILTERS) and v}
        do_save_view(signed_in_user(request), name, urlencode(allowed))
    return redirect("cases:queue")


@require_POST
@staff_required("assess_case")
def next_case(request: HttpRequest) -> HttpResponse:
    analyst = signed_in_user(request)
    pause = welfare.pause_remaining(analyst)
    if pause:
        messages.info(
            request,
            _("Time for a short break: the next case opens in %(minutes)d min.")
            % {"minutes": pause},
        )
        return redirect("cases:queue")
    case = do_claim_next(analyst, _recently_skipped(request))
    if case is None:
        messages.success(request, _("Nothing is waiting for you."))
        return redirect("cases:queue")
    # Opening at a fragment focuses its element: Outcome's first choice, where the work starts.
    return redirect(reverse("cases:case", args=[case.code]) + f"#{OUTCOME_FIRST_CHOICE}")


def _recently_skipped(request: HttpRequest) -> list[str]:
    cutoff = claim_lapse_cutoff().isoformat()
    recent = {code: at for code, at in request.session.get(SKIPPED, {}).items() if at >= cutoff}
    request.session[SKIPPED] = recent
    return list(recent)


@require_POST
@staff_required("assess_case", hide=True)
def claim(request: HttpRequest, code: str) -> HttpResponse:
    """Take the case to work on it; opening a case never does."""
    analyst = signed_in_user(request)
    case = access.case_for_staff(code)
    may_work = access.workable_for(analyst).filter(pk=case.pk).exists()
    if not (may_work and do_claim(analyst, case)):
        messages.error(request, _("This case is not yours to take now; nothing was changed."))
    return redirect("cases:case", code=case.code)


@require_POST
@staff_required("assess_case", hide=True)
def release(request: HttpRequest, code: str) -> HttpResponse:
    """Give the case back; with `next`, skip to the next one."""
    analyst = signed_in_user(request)
    case = access.case_for_staff(code)
    do_release(analyst, case)
    if request.POST.get("then") == "next":
        skipped = request.session.get(SKIPPED, {})
        request.session[SKIPPED] = {**skipped, case.code: timezone.now().isoformat()}
        return next_case(request)
    return redirect("cases:queue")


@staff_required("work_queue", hide=True)
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = access.case_for_staff(code)
    analyst = signed_in_user(request)
    can_assess = analyst.has_perm("accounts.assess_case")
    form = AssessmentForm(request.POST or None, case=case) if can_assess else None
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                saved = do_assess(analyst, case, form.save(commit=False))
            except NotYours as refusal:
                messages.error(request, str(refusal))
            except CaseChangedMeanwhile:
                messages.error(
                    request, _("Someone else changed this case meanwhile; nothing was saved.")
                )
            except TransitionNotAllowed:
                messages.error(request, _("This case is already decided; nothing was saved."))
            else:
                messages.success(
                    request,
                    _("%(code)s graded: %(grading)s. It is now: %(status)s.")
                    % {
                        "code": case.code,
                        "grading": _graded(saved),
                        "status": URLCase.Status(case.status).label,
                    },
                )
                # "Save and next" is the form's first button, so Enter and Ctrl+Enter send it.
                if request.POST.get("then") == "next":
                    return next_case(request)
                return redirect("cases:queue")
    held = case.claimed_at is not None and case.claimed_at >= claim_lapse_cutoff()
    workable = case.status in WORKABLE_STATUSES
    acts_instead = who_acts_instead(analyst, case) if can_assess and workable else None
    # Blind verification: whoever may still verify does not see the judgement under test.
    blind = case.status == URLCase.Status.VERIFYING and can_assess and not acts_instead
    judgements = [] if blind else current_round(case)
    context = {
        "case": case,
        "form": form,
        "claimed_by_other": held and case.claimed_by_id != analyst.pk,
        "claimed_by_me": held and case.claimed_by_id == analyst.pk,
        "may_claim": can_assess
        and not held
        and access.workable_for(analyst).filter(pk=case.pk).exists(),
        "reports": case.case_reports.select_related("reported_url__report").order_by("pk"),
        "assessments": case.assessments.select_related("analyst").order_by("assessed_at"),
        "definitions": terms(None, "severity"),
        "self_generated_label": self_generated_label(),
        "workable": workable,
        "who_acts_instead": acts_instead,
        "grading": form is not None and workable and not acts_instead,
        "blind": blind,
        "round": judgements,
        "side_by_side": side_by_side(judgements) if len(judgements) > 1 else [],
        "timeline": timeline(case, blind=blind),
    }
    return render(request, "cases/case.html", context)


def _graded(saved: Assessment) -> str:
    """The judgement in the words of the confirmation: "Category A, 7-10, Girls"."""
    if saved.outcome not in Assessment.CRIMINAL_OUTCOMES:
        return saved.get_outcome_display()
    grading = [_("Category %(category)s") % {"category": saved.category}, saved.age_group]
    grading.append(saved.get_sex_display())
    if saved.outcome == Assessment.Outcome.CRIMINAL_NON_PHOTOGRAPHIC:
        grading.insert(0, saved.get_outcome_display())
    return ", ".join(grading)


@staff_required("view_statistics")
def team_welfare(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/welfare.html", {"team": welfare.team_today()})
