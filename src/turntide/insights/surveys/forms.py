"""Forms of the survey workspace; the actions check what only the data can tell."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from turntide.insights.models import Campaign
from turntide.insights.surveys.estimates import STATISTICS
from turntide.insights.surveys.models import Survey, Wave
from turntide.insights.surveys.uploads import MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    survey_name = forms.CharField(
        label=_("Survey"),
        max_length=120,
        help_text=_("An existing survey's name adds a wave to it."),
    )
    fielded_on = forms.DateField(
        label=_("Fieldwork date of this wave"), widget=forms.DateInput({"type": "date"})
    )
    file = forms.FileField(label=_("File (CSV, SPSS .sav or Stata .dta)"))
    campaign = forms.ModelChoiceField(
        label=_("Campaign it evaluates (new survey only)"),
        queryset=Campaign.objects.all(),
        required=False,
        to_field_name="code",
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if too_large:
            # The upload handler kept no file: say why, rather than ask for one.
            self.fields["file"].error_messages["required"] = _(
                "The file is larger than %(limit)s MB, the most one wave may be: keep only the "
                "columns the estimates need, or split the file."
            ) % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}


class DesignForm(forms.Form):
    weight = forms.CharField(label=_("Weight column"), required=False, max_length=100)
    strata = forms.CharField(label=_("Strata column"), required=False, max_length=100)
    cluster = forms.CharField(label=_("Cluster (PSU) column"), required=False, max_length=100)
    fpc = forms.CharField(
        label=_("Population size column (finite population correction)"),
        required=False,
        max_length=100,
    )
    rake = forms.CharField(
        label=_("Raking margins, one a line: VARIABLE:VALUE=TOTAL,VALUE=TOTAL"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    indicator_label = forms.CharField(
        label=_("Headline indicator (as the campaign page names it)"),
        required=False,
        max_length=120,
    )
    indicator_column = forms.CharField(label=_("Its column"), required=False, max_length=100)
    indicator_value = forms.CharField(label=_("Its value"), required=False, max_length=100)

    @classmethod
    def of(cls, survey: Survey, data: Any = None) -> DesignForm:
        initial = {name: getattr(survey, name) for name in cls.base_fields}
        initial["rake"] = "\n".join(survey.rake)
        return cls(data, initial=initial)


class QuestionForm(forms.Form):
    """Asked by GET, so that a table has an address and its CSV the same one."""

    statistic = forms.ChoiceField(label=_("Statistic"), choices=[(s, s) for s in STATISTICS])
    variable = forms.CharField(label=_("Column"), max_length=100)
    value = forms.CharField(label=_("Value counted (proportion)"), required=False, max_length=100)
    by = forms.CharField(label=_("By (subgroups of this column)"), required=False, max_length=100)

    def __init__(self, waves: list[Wave], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(wave.code, f"{wave.fielded_on} ({wave.filename})") for wave in waves]
        self.fields["wave"] = forms.ChoiceField(label=_("Wave"), choices=choices)
        self.fields["against"] = forms.ChoiceField(
            label=_("Compare with wave"), choices=[("", _("none")), *choices], required=False
        )
        self.order_fields(["wave", "statistic", "variable", "value", "by", "against"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("statistic") == "proportion" and not cleaned.get("value"):
            self.add_error("value", _("A proportion needs the value it counts."))
        return cleaned
