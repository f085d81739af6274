from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from turntide.reports.models import Report

MAX_URLS_PER_REPORT = 50


class PublicReportForm(forms.Form):
    urls = forms.CharField(
        label=_("Web addresses (one per line)"),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocapitalize": "off"}),
        max_length=MAX_URLS_PER_REPORT * 2100,
    )
    content_type = forms.ChoiceField(
        label=_("What did you see?"), choices=Report.ContentType.choices, required=False
    )
    found_where = forms.ChoiceField(
        label=_("Where did you find it?"), choices=Report.FoundWhere.choices, required=False
    )
    description = forms.CharField(
        label=_("Anything else we should know (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    immediate_danger = forms.BooleanField(
        label=_("A child may be in immediate danger"), required=False
    )

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines()]
        urls = [line for line in lines if line]
        if not urls:
            raise forms.ValidationError(_("Enter at least one web address."))
        if len(urls) > MAX_URLS_PER_REPORT:
            raise forms.ValidationError(
                _("Enter at most %(limit)d web addresses in one report."),
                params={"limit": MAX_URLS_PER_REPORT},
            )
        return urls
