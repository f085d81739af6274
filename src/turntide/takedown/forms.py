from __future__ import annotations

from django import forms

from turntide.takedown.models import NoticeResponse, PartnerHotline


class ResponseForm(forms.Form):
    """A reply to a notice, or its bounce, as read in the hotline's mailbox (fields named as
    on the removal page's per-notice form)."""

    kind = forms.ChoiceField(choices=NoticeResponse.Kind.choices)
    received_at = forms.DateTimeField(required=False)
    note = forms.CharField(required=False, max_length=2000)


class ContactForm(forms.Form):
    """The abuse contact of the case's network, typed or confirmed by staff."""

    email = forms.EmailField(max_length=254)
    country = forms.RegexField(regex=r"^[A-Za-z]{2}$", required=False)
    send = forms.BooleanField(required=False)


class PartnerForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=PartnerHotline.objects.all(), to_field_name="country")


class ManualCheckForm(forms.Form):
    result = forms.ChoiceField(choices=[("gone", "gone"), ("up", "still there")])


class ConfirmRemovedForm(forms.Form):
    removed_at = forms.DateTimeField(required=False)


class NoFieldsForm(forms.Form):
    """An action that needs nothing but the button."""
