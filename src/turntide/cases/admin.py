from django.contrib import admin
from django.http import HttpRequest

from turntide.cases import schemes_admin  # noqa: F401  (registers the scheme admins)
from turntide.cases.models import Appeal, Assessment, URLCase


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


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin[Appeal]):
    """Read-only: appeals are recorded and decided in the workspace, with audit events."""

    list_display = ["code", "case", "status", "received_at", "decided_at"]
    list_filter = ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
