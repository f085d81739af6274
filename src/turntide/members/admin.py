"""Member organisations and portal access in /admin/, every edit in the audit trail.

An organisation's kind, licensed services and status decide what it may receive and write
(`proactive` writes to the hash list), and a membership opens its portal and token issuing,
so each add, change and delete here is recorded with the values it set and those it replaced.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from turntide.audit.actions import record
from turntide.members.models import SERVICES, APIToken, Membership, Organisation


def _audit_value(value: object) -> object:
    """A field's value as the audit trail keeps it: people by username, organisations by code."""
    if isinstance(value, AbstractBaseUser):
        return value.get_username()
    if isinstance(value, Organisation):
        return value.code
    if isinstance(value, date):
        return value.isoformat()
    return value


class AuditedAdmin[M: Model](admin.ModelAdmin[M]):
    """Records `<model>.created|changed|deleted` against the organisation concerned."""

    audited_fields: tuple[str, ...] = ()

    def organisation_of(self, obj: M) -> Organisation:
        raise NotImplementedError

    def _values(self, obj: M, fields: list[str] | tuple[str, ...]) -> dict[str, object]:
        return {name: _audit_value(getattr(obj, name)) for name in fields}

    def _record(self, request: HttpRequest, obj: M, what: str, details: dict[str, Any]) -> None:
        record(
            request.user,
            f"{obj._meta.model_name}.{what}",
            object_type="organisation",
            object_code=self.organisation_of(obj).code,
            details=details,
        )

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        fields = list(form.changed_data)
        details: dict[str, Any] = {"fields": fields}
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            replaced = [name for name in self.audited_fields if name in fields]
            details["previous"] = self._values(stored, replaced)
        super().save_model(request, obj, form, change)
        details["values"] = self._values(obj, self.audited_fields)
        self._record(request, obj, "changed" if change else "created", details)

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        self._record(request, obj, "deleted", {"values": self._values(obj, self.audited_fields)})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        for obj in queryset:
            self._record(
                request, obj, "deleted", {"values": self._values(obj, self.audited_fields)}
            )
        super().delete_queryset(request, queryset)


class APITokenInline(admin.TabularInline[APIToken, Organisation]):
    model = APIToken
    fields = (
        "prefix",
        "services",
        "label",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # tokens are issued with `turntide members token`, shown once


class OrganisationForm(forms.ModelForm[Organisation]):
    def clean_services(self) -> list[str]:
        """The licence is a list of known service names: a typo would silently license nothing."""
        services = self.cleaned_data["services"]
        if not isinstance(services, list) or not all(name in SERVICES for name in services):
            raise forms.ValidationError(
                _("give a list of services among: %(known)s"), params={"known": ", ".join(SERVICES)}
            )
        return sorted(set(services))


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin[Organisation]):
    form = OrganisationForm
    audited_fields = ("name", "kind", "services", "status", "agreement_start", "agreement_end")
    list_display = ["name", "code", "kind", "status", "agreement_end"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "code"]
    # Named, so a field added to the model is not editable here until someone decides it should
    # be. The list key (and the list version it started at) changes through
    # `turntide members key`, which audits it.
    fields = [
        "name",
        "code",
        "kind",
        "services",
        "status",
        "agreement_start",
        "agreement_end",
        "contact_email",
        "keyed_list",
        "list_key_version",
        "created_at",
    ]
    readonly_fields = ["code", "created_at", "keyed_list", "list_key_version"]
    inlines = [APITokenInline]

    def organisation_of(self, obj: Organisation) -> Organisation:
        return obj

    @admin.display(description=_("Keyed URL list"), boolean=True)
    def keyed_list(self, obj: Organisation) -> bool:
        """Whether it has a list key; the key itself is never shown here."""
        return bool(obj.list_key)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin[Membership]):
    audited_fields = ("user", "organisation")
    list_display = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name", "organisation__code"]

    def organisation_of(self, obj: Membership) -> Organisation:
        return obj.organisation
