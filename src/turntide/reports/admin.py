"""Reports and the hotline's public-page settings in /admin/."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from turntide.accounts.admin_site import LabelledInlineFormSet
from turntide.audit.actions import record
from turntide.core.logo import MAX_BYTES, MAX_PIXELS, InvalidLogo
from turntide.reports.models import GuidanceText, HotlineGuidance, OtherAgency, Report

# FeedbackContact is deliberately not registered: reporters' addresses are shown to no one.


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ["reference", "channel", "received_at", "immediate_danger"]
    list_filter = ["channel", "immediate_danger"]
    search_fields = ["reference"]
    readonly_fields = ["reference", "channel", "received_at"]


class GuidanceTextInline(admin.StackedInline[GuidanceText, HotlineGuidance]):
    model = GuidanceText
    extra = 0


class OtherAgencyInline(admin.TabularInline[OtherAgency, HotlineGuidance]):
    model = OtherAgency
    formset = LabelledInlineFormSet
    extra = 1


LOGO_ERRORS = {
    "bytes": _("The logo is larger than %(bytes)s bytes."),
    "pixels": _("The logo has more than %(pixels)s pixels."),
    "format": _("The logo must be a PNG, JPEG or WebP image (not SVG)."),
}


class HotlineGuidanceForm(forms.ModelForm[HotlineGuidance]):
    """The settings, with a logo upload that is checked and re-encoded before it is kept."""

    logo_upload = forms.FileField(
        label=_("logo"),
        required=False,
        help_text=_(
            "PNG, JPEG or WebP, at most 1 MB; shown beside the hotline's name on the public "
            "pages, scaled to fit 640 by 160 pixels."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)

    class Meta:
        model = HotlineGuidance
        fields = [
            "hotline_name",
            "police_phone",
            "police_url",
            "out_of_remit_hosts",
            "max_urls_per_report",
            "feedback_retention_days",
        ]

    def clean_logo_upload(self) -> object:
        upload = self.cleaned_data["logo_upload"]
        if upload:
            try:
                self.instance.set_logo(upload.read(MAX_BYTES + 1))
            except InvalidLogo as error:
                params = {"bytes": f"{MAX_BYTES:,}", "pixels": f"{MAX_PIXELS:,}"}
                raise forms.ValidationError(LOGO_ERRORS[error.kind], params=params) from None
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("remove_logo") and not cleaned.get("logo_upload"):
            self.instance.remove_logo()
        return cleaned


@admin.register(HotlineGuidance)
class HotlineGuidanceAdmin(admin.ModelAdmin[HotlineGuidance]):
    """One row: it can be added once, while none is saved, and never deleted. Every save is
    audited: the name, logo and numbers are what the public sees."""

    form = HotlineGuidanceForm
    inlines = [GuidanceTextInline, OtherAgencyInline]

    def save_model(
        self, request: HttpRequest, obj: HotlineGuidance, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        details = {"fields": list(form.changed_data), "logo": obj.logo_digest}
        record(request.user, "guidance.changed", object_type="guidance", details=details)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not HotlineGuidance.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
