"""Staff accounts in /admin/: administrators assign roles; nobody grants superuser powers.

Django's stock user admin lets anyone with `change_user` tick `is_superuser` or hand out
raw permissions. Here those are read-only, superusers cannot be edited by others, `is_staff`
follows the administrator role, and every change of roles is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from turntide.accounts.roles import ADMIN_SITE_ROLES
from turntide.audit.actions import record

admin.site.unregister(User)


@admin.register(User)
class StaffAdmin(UserAdmin[User]):
    readonly_fields = ("is_superuser", "is_staff", "user_permissions", "last_login", "date_joined")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        users = super().get_queryset(request)
        user = request.user
        return users if getattr(user, "is_superuser", False) else users.filter(is_superuser=False)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        may_manage = request.user.has_perm("accounts.manage_staff")
        return may_manage and super().has_change_permission(request, obj)

    def save_related(
        self, request: HttpRequest, form: ModelForm[User], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        roles = sorted(user.groups.values_list("name", flat=True))
        user.is_staff = bool(ADMIN_SITE_ROLES.intersection(roles))
        user.save(update_fields=["is_staff"])
        record(
            request.user,
            "account.roles_changed" if change else "account.created",
            object_type="user",
            object_code=user.get_username(),
            details={"roles": roles, "active": user.is_active},
        )
