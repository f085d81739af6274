"""Managers record prevention campaigns and read each one's evaluation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from turntide.access import staff_required
from turntide.cases.models import Assessment
from turntide.insights.campaigns import (
    BadCampaign,
    campaign_by_code,
    campaigns,
    do_record_campaign,
    evaluate,
)

RECORD_PERMISSION = "insights.add_campaign"


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    sexes = forms.MultipleChoiceField(
        label=_("Audience: sex (none ticked: all)"),
        choices=Assessment.Sex.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    age_groups = forms.MultipleChoiceField(
        label=_("Audience: age of the youngest child (none ticked: all)"),
        choices=Assessment.AgeGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    self_generated_only = forms.BooleanField(
        label=_("Self-generated imagery only"), required=False, initial=True
    )
    start = forms.DateField(label=_("Start"), widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(
        label=_("End (blank: still running)"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
    )


@staff_required("view_statistics")
def campaign_list(request: HttpRequest) -> HttpResponse:
    context = {"campaigns": campaigns(), "can_record": request.user.has_perm(RECORD_PERMISSION)}
    return render(request, "insights/campaigns/list.html", context)


@staff_required("view_statistics")
@require_http_methods(["GET", "POST"])
def record_campaign(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(RECORD_PERMISSION):
        raise PermissionDenied
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields: dict[str, Any] = form.cleaned_data
        try:
            campaign = do_record_campaign(request.user, **fields)
        except BadCampaign as error:
            form.add_error(None, str(error))
        else:
            return redirect("insights:campaign", code=campaign.code)
    status = 400 if form.errors else 200
    return render(request, "insights/campaigns/record.html", {"form": form}, status=status)


@staff_required("view_statistics", hide=True)
def campaign_evaluation(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = evaluate(campaign_by_code(code))
    return render(request, "insights/campaigns/evaluation.html", {"evaluation": evaluation})
