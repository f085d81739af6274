from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_SIZE = 50


class TrailFilter(forms.Form):
    """The trail's filters and its place in the trail; all optional, all in the query string."""

    actor = forms.CharField(required=False, max_length=150, label=_("Actor"))
    action = forms.CharField(
        required=False,
        max_length=100,
        label=_("Action"),
        help_text=_("Exact, or a prefix ending in a dot: account."),
    )
    object = forms.CharField(required=False, max_length=64, label=_("Object code"))
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    size = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=DEFAULT_SIZE,  # type: ignore[arg-type]  # an int, as coerced
        choices=[(n, n) for n in PAGE_SIZES],
        label=_("Per page"),
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end comes before the start."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The filters alone (no page), as the export and the page links carry them."""
        names = ("actor", "action", "object", "since", "until")
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name)}
