from __future__ import annotations

from django import forms

from turntide.takedown.models import NoticeResponse


class ResponseForm(forms.Form):
    """A reply to a notice, or its bounce, as read in the hotline's mailbox (fields named as
    on the removal page's per-notice form)."""

    kind = forms.ChoiceField(choices=NoticeResponse.Kind.choices)
    received_at = forms.DateTimeField(required=False)
    note = forms.CharField(required=False, max_length=2000)
