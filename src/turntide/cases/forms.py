from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import Assessment


class AssessmentForm(forms.ModelForm[Assessment]):
    class Meta:
        model = Assessment
        fields = [
            "outcome",
            "category",
            "age_group",
            "sex",
            "self_generated",
            "site_type",
            "hosting_country",
        ]
        widgets = {"outcome": forms.RadioSelect, "category": forms.RadioSelect}

    def clean_hosting_country(self) -> str:
        value: str = self.cleaned_data["hosting_country"].strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise forms.ValidationError(_("Use the two-letter country code, such as NL or US."))
        return value

    def clean(self) -> dict[str, Any]:
        """Grading belongs to criminal outcomes only: required there, dropped elsewhere."""
        data = super().clean() or {}
        criminal = data.get("outcome") in Assessment.CRIMINAL_OUTCOMES
        grading = ["category", "age_group", "sex", "self_generated"]
        if criminal:
            for field in grading:
                if not data.get(field):
                    self.add_error(field, _("Required for a criminal outcome."))
        else:
            for field in grading:
                data[field] = ""
        return data
