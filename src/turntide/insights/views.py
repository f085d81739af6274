from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from turntide.accounts.access import staff_required
from turntide.insights.statistics import headline


@staff_required("view_statistics")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/dashboard.html", {"headline": headline()})
