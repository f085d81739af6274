"""The researchers' page: choose years and granularity, download a de-identified extract."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from turntide.access import staff_required
from turntide.insights import statistics
from turntide.insights.extracts import (
    GRANULARITIES,
    MAX_MONTHLY_YEARS,
    MAX_YEARS,
    BadExtract,
    do_download_extract,
)


class ExtractForm(forms.Form):
    first_year = forms.IntegerField(label=_("From year"), min_value=1900, max_value=9998)
    last_year = forms.IntegerField(label=_("To year"), min_value=1900, max_value=9998)
    granularity = forms.ChoiceField(
        label=_("Counts by"),
        choices=[(g, g) for g in GRANULARITIES],
        widget=forms.RadioSelect,
        initial="year",
    )


def _initial() -> dict[str, object]:
    years = statistics.years_with_data()
    this_year = timezone.localdate().year
    first, last = years or (this_year, this_year)
    return {
        "first_year": max(first, last - MAX_YEARS + 1),
        "last_year": last,
        "granularity": "year",
    }


@staff_required("download_research_extract")
@require_http_methods(["GET", "POST"])
def research(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the zip, audited; bad input: the form again with the reason."""
    form = ExtractForm(request.POST or None, initial=_initial())
    if request.method == "POST" and form.is_valid():
        try:
            filename, content = do_download_extract(
                request.user,
                form.cleaned_data["first_year"],
                form.cleaned_data["last_year"],
                form.cleaned_data["granularity"],
            )
        except BadExtract as error:
            form.add_error(None, str(error))
        else:
            response = HttpResponse(content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    context = {
        "form": form,
        "threshold": settings.TURNTIDE_SUPPRESSION_THRESHOLD,
        "max_years": MAX_YEARS,
        "max_monthly_years": MAX_MONTHLY_YEARS,
    }
    return render(
        request, "insights/research/extract.html", context, status=400 if form.errors else 200
    )
