from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from turntide.reports.actions import InvalidReport, do_receive_report
from turntide.reports.forms import PublicReportForm


def public_report(request: HttpRequest) -> HttpResponse:
    """The anonymous report form: works without JavaScript and keeps what was typed."""
    form = PublicReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, urls = do_receive_report(
                "public",
                data["urls"],
                content_type=data["content_type"],
                found_where=data["found_where"],
                description=data["description"],
                immediate_danger=data["immediate_danger"],
            )
        except InvalidReport as invalid:
            for problem in invalid.problems:
                form.add_error(
                    "urls", f"Line {problem.position} ({problem.submitted[:80]}): {problem.reason}"
                )
        else:
            return render(request, "reports/thanks.html", {"report": report, "urls": urls})
    return render(request, "reports/form.html", {"form": form})
