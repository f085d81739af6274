from django.contrib import admin

from turntide.reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ["reference", "channel", "received_at", "immediate_danger"]
    list_filter = ["channel", "immediate_danger"]
    search_fields = ["reference"]
    readonly_fields = ["reference", "channel", "received_at"]
