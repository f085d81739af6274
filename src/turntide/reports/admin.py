from django.contrib import admin
from django.http import HttpRequest

from turntide.accounts.admin_site import LabelledInlineFormSet
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


@admin.register(HotlineGuidance)
class HotlineGuidanceAdmin(admin.ModelAdmin[HotlineGuidance]):
    """One row: it can be added once, while none is saved, and never deleted."""

    inlines = [GuidanceTextInline, OtherAgencyInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not HotlineGuidance.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
