from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import Assessment, URLCase
from turntide.cases.schemes import self_generated_label, terms
from turntide.reports.models import OtherAgency

GRADING = ("category", "age_group", "sex", "self_generated")


class AssessmentForm(forms.ModelForm[Assessment]):
    """One judgement on a case. Grading belongs to criminal outcomes only."""

    duplicate_of_code = forms.CharField(
        label=_("Duplicate of case (code)"), required=False, max_length=20
    )

    class Meta:
        model = Assessment
        fields = [
            "outcome",
            "category",
            "age_group",
            "sex",
            "self_generated",
            "media",
            "image_count",
            "video_count",
            "site_type",
            "hosting_country",
            "commercial",
            "multiple_children",
            "ai_generated",
            "legal_status",
            "referred_to",
            "notes",
        ]
        labels = {
            "age_group": _("Age of the youngest child"),
            "media": _("Media"),
            "image_count": _("Number of images"),
            "video_count": _("Number of videos"),
            "commercial": _("Commercial"),
            "multiple_children": _("More than one child"),
            "ai_generated": _("AI-generated or virtual"),
            "legal_status": _("ICCAM classification"),
            "referred_to": _("Referred to (agency, for other harmful content)"),
        }
        help_texts = {
            "ai_generated": "",
            "legal_status": _("For the INHOPE exchange; left empty, the grading decides."),
        }
        widgets = {
            "outcome": forms.RadioSelect,
            "category": forms.RadioSelect,
            "age_group": forms.RadioSelect,
            "sex": forms.RadioSelect,
            "self_generated": forms.RadioSelect,
            "media": forms.RadioSelect,
            "legal_status": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, case: URLCase | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        if not settings.TURNTIDE_ICCAM_URL:
            del self.fields["legal_status"]  # a question only the ICCAM exchange asks
        self.fields["outcome"].choices = Assessment.Outcome.choices  # type: ignore[attr-defined]
        # Other harmful content is referred to one of the agencies the hotline lists.
        agencies = list(OtherAgency.objects.values_list("name", flat=True).distinct())
        if agencies:
            self.fields["referred_to"].widget = forms.Select(
                choices=[("", "---------"), *((name, name) for name in agencies)]
            )
        # Wording comes from the grading scheme (data the hotline edits), values stay fixed.
        self.fields["self_generated"].label = self_generated_label()
        for field, dimension in (("category", "severity"), ("age_group", "age")):
            labels = {term.code: term.label for term in terms(None, dimension)}
            choices = self.fields[field].choices  # type: ignore[attr-defined]
            self.fields[field].choices = [  # type: ignore[attr-defined]
                (value, labels.get(str(value), label)) for value, label in choices
            ]

    def clean_hosting_country(self) -> str:
        value: str = self.cleaned_data["hosting_country"].strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise forms.ValidationError(_("Use the two-letter country code, such as NL or US."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome in Assessment.CRIMINAL_OUTCOMES:
            for field in GRADING:
                if not data.get(field):
                    self.add_error(field, _("Required for a criminal outcome."))
        else:
            for field in (*GRADING, "legal_status"):
                data[field] = ""
        if outcome == Assessment.Outcome.DUPLICATE:
            self._clean_duplicate(data)
        if outcome == Assessment.Outcome.OTHER_HARM and not data.get("referred_to"):
            self.add_error("referred_to", _("Name the agency this is referred to."))
        return data

    def _clean_duplicate(self, data: dict[str, Any]) -> None:
        code = (data.get("duplicate_of_code") or "").strip().upper()
        original = URLCase.objects.filter(code=code).first() if code else None
        if original is None:
            self.add_error("duplicate_of_code", _("Give the code of an existing case."))
        elif self.case is not None and original.pk == self.case.pk:
            self.add_error("duplicate_of_code", _("A case cannot duplicate itself."))
        else:
            self.instance.duplicate_of = original
