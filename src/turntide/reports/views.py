"""The anonymous public report form: no JavaScript needed, nothing typed is ever lost."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from turntide.reports import ratelimit
from turntide.reports.forms import PublicReportForm
from turntide.reports.models import HotlineGuidance
from turntide.reports.public import do_receive_public_report


def public_report(request: HttpRequest) -> HttpResponse:
    """Show the guidance and the form; on a valid post, the confirmation.

    Every post counts against the limit of its (hashed) address; over it, the form comes
    back with HTTP 429 and everything typed.
    """
    guidance = HotlineGuidance.current()
    form = PublicReportForm(request.POST or None, guidance=guidance)
    context = {"form": form, "guidance": guidance}
    if request.method == "POST":
        limit = settings.TURNTIDE_REPORT_LIMIT_PER_HOUR
        if not ratelimit.allow(request, "public-report", limit):
            return render(request, "429.html", context, status=429)
        if form.is_valid():
            report, urls = do_receive_public_report(form.cleaned_data, guidance)
            context.update(report=report, urls=urls, feedback=bool(form.cleaned_data["email"]))
            return render(request, "reports/thanks.html", context)
    return render(request, "reports/form.html", context)


@require_safe
def logo(request: HttpRequest, digest: str) -> HttpResponse:
    """The hotline's logo, from the site's own origin; its address names its content, so
    browsers may keep it for a year."""
    guidance = HotlineGuidance.current()
    if not guidance.logo_digest or digest != guidance.logo_digest:
        raise Http404
    response = HttpResponse(bytes(guidance.logo), content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Disposition"] = 'inline; filename="logo.png"'
    return response
