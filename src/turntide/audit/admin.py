"""Administrators read the audit trail here; nobody can add, change or delete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from turntide.audit.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    ordering = ["-sequence"]  # newest first, as on /audit/
    list_display = ["sequence", "occurred_at", "actor", "action", "object_type", "object_code"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "object_code", "action"]
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("accounts.view_audit_trail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
