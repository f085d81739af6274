"""/cases/health/: the queue's health week by week, for managers."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.access import staff_required
from turntide.insights.health import weekly_health, weeks_ending
from turntide.insights.health_charts import health_charts

WEEK_CHOICES = (4, 12, 26, 52)


class WeeksForm(forms.Form):
    weeks = forms.TypedChoiceField(
        choices=[(n, n) for n in WEEK_CHOICES], coerce=int, label=_("Weeks shown")
    )


@staff_required("view_statistics")
def queue_health(request: HttpRequest) -> HttpResponse:
    form = WeeksForm(request.GET if "weeks" in request.GET else {"weeks": 12})
    if not form.is_valid():
        return render(request, "insights/health.html", {"form": form}, status=400)
    weeks = weekly_health(weeks_ending(timezone.localdate(), form.cleaned_data["weeks"]))
    context = {"form": form, "charts": health_charts(weeks), "current": weeks[-1]}
    return render(request, "insights/health.html", context)
