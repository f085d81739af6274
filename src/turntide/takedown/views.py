"""Staff pages of removal: a case's takedown history, replies and bounces, overdue, figures."""

from __future__ import annotations

import csv
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from turntide.access import staff_required
from turntide.audit.actions import record
from turntide.cases.access import case_for_staff
from turntide.core.csvcells import spreadsheet_row
from turntide.takedown import access
from turntide.takedown.actions import do_record_response
from turntide.takedown.escalation import overdue
from turntide.takedown.figures import DIMENSIONS, Figure, removal_figures
from turntide.takedown.forms import ResponseForm
from turntide.takedown.models import (
    HostingTrace,
    Notice,
    NoticeResponse,
    PartnerHotline,
    Recheck,
    Takedown,
)
from turntide.takedown.workbench import open_takedowns, work_row

WORK = "takedown.work_takedowns"
# The figures page shows the most removed keys of each dimension; the CSV has them all.
PAGE_ROWS = 25


@staff_required(WORK, hide=True)
def case_history(request: HttpRequest, code: str) -> HttpResponse:
    case = case_for_staff(code)
    takedown = Takedown.objects.filter(case=case).select_related("partner").order_by("-pk").first()
    working = open_takedowns().filter(case=case).first()
    context = {
        "case": case,
        "takedown": takedown,
        "working": working,
        "row": work_row(working, timezone.now()) if working else None,
        "partners": PartnerHotline.objects.all(),
        "last_sent": Notice.objects.filter(takedown__case=case, status=Notice.Status.SENT).last(),
        "traces": HostingTrace.objects.filter(case=case),
        "notices": Notice.objects.filter(takedown__case=case).prefetch_related("responses"),
        "checks": Recheck.objects.filter(takedown__case=case),
        "response_kinds": NoticeResponse.Kind.choices,
    }
    return render(request, "takedown/case.html", context)


@require_POST
@staff_required(WORK, hide=True)
def record_response(request: HttpRequest, code: str) -> HttpResponse:
    notice = access.notice_for_staff(code)
    form = ResponseForm(request.POST)
    if form.is_valid():
        staff = request.user
        assert isinstance(staff, User)
        do_record_response(
            staff,
            notice,
            form.cleaned_data["kind"],
            form.cleaned_data["received_at"] or timezone.now(),
            form.cleaned_data["note"],
        )
        messages.success(request, _("Recorded."))
    else:
        messages.error(
            request, _("Nothing recorded: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("takedown:case", notice.takedown.case.code)


@staff_required(WORK)
def overdue_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(request, "takedown/overdue.html", {"takedowns": overdue(now), "now": now})


def _year(request: HttpRequest) -> int | None:
    """The calendar year asked for (`?year=2026`, as /insights/?period=2026), else None: all."""
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 1990 <= int(year) <= 2999 else None


def _figures_of(year: int | None) -> list[Figure]:
    if year is None:
        return removal_figures()
    start = timezone.make_aware(datetime(year, 1, 1))
    return removal_figures(start, timezone.make_aware(datetime(year + 1, 1, 1)))


@staff_required("view_statistics")
def figures(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    found = _figures_of(year)
    by_dimension = []
    for dimension in DIMENSIONS:
        rows = sorted((f for f in found if f.dimension == dimension), key=lambda f: -f.removed)
        by_dimension.append((dimension, rows[:PAGE_ROWS], len(rows) - PAGE_ROWS))
    return render(
        request, "takedown/figures.html", {"by_dimension": by_dimension, "year": year or ""}
    )


@staff_required("view_statistics")
def figures_csv(request: HttpRequest) -> HttpResponse:
    record(request.user, "takedown.figures_downloaded")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="time-to-removal.csv"'
    writer = csv.writer(response)
    writer.writerow(["dimension", "key", "removed", "median_hours", "p90_hours"])
    for figure in _figures_of(_year(request)):
        writer.writerow(
            spreadsheet_row(
                [
                    figure.dimension,
                    figure.key,
                    figure.removed,
                    f"{figure.median_hours:.2f}",
                    f"{figure.p90_hours:.2f}",
                ]
            )
        )
    return response
