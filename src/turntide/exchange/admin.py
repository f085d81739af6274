"""The vocabulary an administrator reads and changes; edits go into the audit trail."""

from __future__ import annotations

from django.contrib import admin

from turntide.exchange.models import IccamTerm, VocabularyMapping
from turntide.takedown.admin import DirectoryAdmin


@admin.register(VocabularyMapping)
class VocabularyMappingAdmin(DirectoryAdmin[VocabularyMapping]):
    list_display = ("lookup", "turntide_value", "term")
    list_filter = ("lookup",)
    list_select_related = ("term",)


@admin.register(IccamTerm)
class IccamTermAdmin(admin.ModelAdmin[IccamTerm]):
    """ICCAM's own values: refreshed by `turntide iccam lookups`, read-only here."""

    list_display = ("lookup", "iccam_id", "name", "listed")
    list_filter = ("lookup", "listed")

    def has_change_permission(self, *args: object) -> bool:
        return False
