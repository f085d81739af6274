"""Staff pages of the exchange: its rounds, with counts and errors (managers, administrators)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from turntide.access import staff_required
from turntide.exchange.access import recent_rounds


@staff_required("exchange.view_round")
def rounds(request: HttpRequest) -> HttpResponse:
    context = {"rounds": recent_rounds(), "configured": bool(settings.TURNTIDE_ICCAM_URL)}
    return render(request, "exchange/rounds.html", context)
