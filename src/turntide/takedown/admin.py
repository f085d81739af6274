from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template import TemplateSyntaxError, engines

from turntide.audit.actions import record
from turntide.takedown.models import NoticeTemplate, PartnerHotline, Provider, QuietDay


class DirectoryAdmin[M: Model](admin.ModelAdmin[M]):
    """Edits of the routing directories go into the audit trail: they decide who is told."""

    key = "pk"

    def _record(self, request: HttpRequest, obj: M, what: str, fields: list[str]) -> None:
        name = obj._meta.model_name
        record(
            request.user,
            f"{obj._meta.app_label}.{name}_{what}",
            object_type=str(name),
            object_code=str(getattr(obj, self.key)),
            details={"fields": fields},
        )

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._record(request, obj, "changed" if change else "added", list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        self._record(request, obj, "deleted", [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        for obj in queryset:
            self._record(request, obj, "deleted", [])
        super().delete_queryset(request, queryset)


@admin.register(Provider)
class ProviderAdmin(DirectoryAdmin[Provider]):
    key = "asn"
    list_display = ("asn", "name", "abuse_email", "country", "upstream_email")
    search_fields = ("=asn", "name", "abuse_email")


@admin.register(PartnerHotline)
class PartnerHotlineAdmin(DirectoryAdmin[PartnerHotline]):
    key = "country"
    list_display = ("country", "name", "email", "language", "scheme")
    search_fields = ("country", "name")


@admin.register(QuietDay)
class QuietDayAdmin(DirectoryAdmin[QuietDay]):
    key = "day"
    list_display = ("day", "reason")


class NoticeTemplateForm(forms.ModelForm[NoticeTemplate]):
    """Refuses a text that does not compile, before any notice would fail on it."""

    class Meta:
        model = NoticeTemplate
        fields = ("recipient_type", "language", "provider", "subject", "body")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for name in ("subject", "body"):
            try:
                engines["django"].from_string(str(cleaned.get(name) or ""))
            except TemplateSyntaxError as error:
                self.add_error(name, str(error))
        return cleaned


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(DirectoryAdmin[NoticeTemplate]):
    form = NoticeTemplateForm
    list_display = ("recipient_type", "language", "provider", "subject")
    list_filter = ("recipient_type", "language")
