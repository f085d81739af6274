from django.contrib import admin

from turntide.cases.models import Assessment, URLCase


@admin.register(URLCase)
class URLCaseAdmin(admin.ModelAdmin[URLCase]):
    list_display = ["code", "status", "report_count", "immediate_danger", "created_at"]
    list_filter = ["status", "immediate_danger"]
    search_fields = ["code", "canonical_url"]
    readonly_fields = ["code", "url_key", "canonical_url", "status", "report_count"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin[Assessment]):
    list_display = ["code", "case", "outcome", "category", "assessed_at"]
    list_filter = ["outcome", "category"]
    readonly_fields = ["code", "case", "analyst", "assessed_at"]
