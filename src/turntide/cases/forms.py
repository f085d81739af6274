from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import Assessment, URLCase
from turntide.cases.schemes import self_generated_label, terms
from turntide.reports.models import OtherAgency

GRADING = ("category", "age_group", "sex", "self_generated")
# What only a criminal outcome records. For any other outcome these fields are hidden
# (workspace.js) and, where JavaScript is off and they show, ignored here.
CRIMINAL_ONLY = (
    *GRADING,
    "media",
    "image_count",
    "video_count",
    "commercial",
    "multiple_children",
    "ai_generated",
    "legal_status",
)
APPLIES_TO: dict[str, frozenset[str]] = {
    **dict.fromkeys(CRIMINAL_ONLY, frozenset(Assessment.CRIMINAL_OUTCOMES)),
    "referred_to": frozenset({Assessment.Outcome.OTHER_HARM}),
    "duplicate_of_code": frozenset({Assessment.Outcome.DUPLICATE}),
}
# The single keys that pick a choice, shown beside it; outcome and age go by position.
LETTER_KEYS = {
    "category": {"A": "a", "B": "b", "C": "x"},
    "sex": {"girls": "g", "boys": "y", "both": "h", "unknown": "u"},
    "self_generated": {"yes": "e", "no": "o", "unclear": "l"},
}
POSITION_KEYS = {"outcome": "{}", "age_group": "shift+{}"}


class SegmentedRadio(forms.RadioSelect):
    """Radios shown as one compact row of buttons. A choice may carry the key that picks it
    (`data-key`, which workspace.js reads), so the keys are written down once, here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys: dict[str, str] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        key = self.keys.get(str(option["value"]), "")
        if key:
            option["attrs"]["data-key"] = key
            option["key_label"] = key.replace("shift+", "⇧")
        return option


class GradingField(BoundField):
    @property
    def outcomes(self) -> str:
        """The outcomes this field belongs to, space-separated; empty when it belongs to all."""
        return " ".join(sorted(APPLIES_TO.get(self.name, ())))


class AssessmentForm(forms.ModelForm[Assessment]):
    """One judgement on a case. Grading belongs to criminal outcomes only."""

    bound_field_class = GradingField

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
            "legal_status": _("What the INHOPE exchange records instead of Category A/B/C."),
        }
        widgets = {
            "outcome": SegmentedRadio,
            "category": SegmentedRadio,
            "age_group": SegmentedRadio,
            "sex": SegmentedRadio,
            "self_generated": SegmentedRadio,
            "media": SegmentedRadio,
            "legal_status": SegmentedRadio,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, case: URLCase | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels of a compact panel, no colons
        super().__init__(*args, **kwargs)
        self.case = case
        if not settings.TURNTIDE_ICCAM_URL:
            del self.fields["legal_status"]  # a question only the ICCAM exchange asks
        else:
            self.fields["legal_status"].choices = [  # type: ignore[attr-defined]
                ("", _("Let the grading decide")),
                *Assessment.LegalStatus.choices,
            ]
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
        self._segment_choices()

    def _segment_choices(self) -> None:
        """Nothing chosen in advance: no blank radio. Each choice gets its key."""
        for name, field in self.fields.items():
            widget = field.widget
            if not isinstance(widget, SegmentedRadio) or name == "legal_status":
                continue  # ICCAM's blank ("let the grading decide") is a real answer
            choices = [(v, label) for v, label in field.choices if v != ""]  # type: ignore[attr-defined]
            field.choices = choices  # type: ignore[attr-defined]
            if name in POSITION_KEYS:
                pattern = POSITION_KEYS[name]
                widget.keys = {str(v): pattern.format(i) for i, (v, _) in enumerate(choices, 1)}
            else:
                widget.keys = LETTER_KEYS.get(name, {})

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
        for field, outcomes in APPLIES_TO.items():
            if outcome not in outcomes and field in self.fields:
                data[field] = self.fields[field].to_python(None)
                self.errors.pop(field, None)  # whatever was typed there does not count
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
