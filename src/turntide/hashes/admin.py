from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from turntide.hashes.actions import (
    do_create_source,
    do_set_source_threshold,
    do_update_source,
    do_withdraw_hashes,
)
from turntide.hashes.models import HashEntry, HashSource


@admin.register(HashSource)
class HashSourceAdmin(admin.ModelAdmin[HashSource]):
    list_display = ["name", "trust", "licence", "pdq_threshold", "created_at"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A source keeps its name: members see it on every entry.
        return ["name", "created_at"] if obj else ["created_at"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        """Through the audited actions, so a new threshold reaches members as a delta."""
        if not change:
            created = do_create_source(
                request.user,
                obj.name,
                trust=obj.trust,
                licence=obj.licence,
                pdq_threshold=obj.pdq_threshold,
            )
            obj.pk = created.pk
            return
        threshold = obj.pdq_threshold
        obj.pdq_threshold = HashSource.objects.get(pk=obj.pk).pdq_threshold
        if {"trust", "licence"} & set(form.changed_data):
            do_update_source(request.user, obj, trust=obj.trust, licence=obj.licence)
        if threshold != obj.pdq_threshold:
            do_set_source_threshold(request.user, obj, threshold)


@admin.register(HashEntry)
class HashEntryAdmin(admin.ModelAdmin[HashEntry]):
    list_display = ["type", "value", "category", "source", "added_at", "withdrawal_reason"]
    list_filter = ["type", "category", "source", "withdrawal_reason"]
    search_fields = ["value", "case__code"]
    actions = ["withdraw_as_false_positive"]
    list_select_related = ["source"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in HashEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # entries come from capture tools and imports

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # withdrawn, never deleted: members need the removal in their delta

    @admin.action(
        description=_("Withdraw: matches harmless content (false positive)"),
        permissions=["change"],
    )
    def withdraw_as_false_positive(
        self, request: HttpRequest, queryset: QuerySet[HashEntry]
    ) -> None:
        count = do_withdraw_hashes(request.user, queryset, HashEntry.Withdrawal.FALSE_POSITIVE)
        self.message_user(
            request,
            ngettext(
                "%(count)s entry withdrawn; it leaves members' lists with the next sync",
                "%(count)s entries withdrawn; they leave members' lists with the next sync",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
