from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from turntide.members.models import Organisation
from turntide.members.portal_guide import service_guide

MAX_TOKEN_DAYS = 365


class IssueTokenForm(forms.Form):
    """A new token: some of the organisation's licensed services, a note, a lifetime."""

    services = forms.MultipleChoiceField(
        label=_("Services this token may use"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service.")},
    )
    label = forms.CharField(
        label=_("Where it is used (a note for you)"), max_length=100, required=False
    )
    days = forms.IntegerField(
        label=_("Days until it expires"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=MAX_TOKEN_DAYS,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the organisation is licensed for can be chosen at all.
        field = self.fields["services"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (each.name, format_lazy("{} ({})", each.name, each.title) if each.title else each.name)
            for each in service_guide(organisation.services, "")
        ]
