from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from turntide.takedown.models import NoticeResponse


class ResponseForm(forms.Form):
    """A reply to a notice, or its bounce, as read in the hotline's mailbox."""

    kind = forms.ChoiceField(label=_("What came back"), choices=NoticeResponse.Kind.choices)
    received_at = forms.DateTimeField(
        label=_("Received (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)
