"""Forms for recording an appeal and deciding it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.cases.forms import AssessmentForm
from turntide.cases.models import Appeal, Assessment, URLCase
from turntide.cases.models.appeal import MAX_APPELLANT, MAX_DECISION_NOTES, MAX_GROUNDS
from turntide.cases.verification import JUDGEMENT_FIELDS

UPHOLD = "uphold"
REJECT = "reject"


class RecordAppealForm(forms.Form):
    appellant_kind = forms.ChoiceField(
        label=_("Who contests the judgement"),
        choices=Appeal.AppellantKind.choices,
        widget=forms.RadioSelect,
    )
    appellant = forms.CharField(
        label=_("Organisation"),
        max_length=MAX_APPELLANT,
        help_text=_("The organisation, or a role within it. No personal contact details."),
    )
    grounds = forms.CharField(
        label=_("Grounds of the appeal"),
        max_length=MAX_GROUNDS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    received_at = forms.DateTimeField(
        label=_("Received"),
        required=False,
        help_text=_("When the appeal arrived; leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_received_at(self) -> Any:
        value = self.cleaned_data["received_at"]
        if value and value > timezone.now():
            raise forms.ValidationError(_("An appeal cannot arrive in the future."))
        return value


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (UPHOLD, _("Uphold: the judgement below replaces the contested one")),
            (REJECT, _("Reject: the contested judgement stands")),
        ],
        widget=forms.RadioSelect,
    )
    decision_notes = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=MAX_DECISION_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when rejecting; the appellant is told the reasons."),
    )

    @property
    def upheld(self) -> bool:
        return bool(self.cleaned_data.get("decision") == UPHOLD)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == REJECT and not data.get("decision_notes", "").strip():
            self.add_error("decision_notes", _("Say why the appeal is rejected."))
        return data


class AppealJudgementForm(AssessmentForm):
    """The judgement that replaces the contested one when an appeal is upheld.

    It starts from the contested judgement, and must differ from it.
    """

    def __init__(self, *args: Any, case: URLCase, contested: Assessment, **kwargs: Any) -> None:
        # Start from the contested judgement; the notes are the new assessor's own.
        fields = [name for name in self._meta.fields or () if name != "notes"]
        kwargs.setdefault("initial", model_to_dict(contested, fields=fields))
        super().__init__(*args, case=case, **kwargs)
        self.contested = contested

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and all(
            data.get(field, "") == getattr(self.contested, field) for field in JUDGEMENT_FIELDS
        ):
            raise forms.ValidationError(
                _("This is the contested judgement: change it, or reject the appeal.")
            )
        return data
