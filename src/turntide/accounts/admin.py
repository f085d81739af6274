"""Staff accounts in /admin/: administrators invite people and assign roles; nobody grants
superuser powers.

Django's stock user admin lets anyone with `change_user` tick `is_superuser` or hand out
raw permissions. Here those are read-only, superusers cannot be edited by others, `is_staff`
follows the administrator role, and every change of roles is audited. A new account has no
password: its owner sets one, and enrols their authenticator, through the one-time link
mailed to them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from turntide.accounts.actions import (
    do_deactivate_user,
    do_issue_enrolment_link,
    do_reset_second_factor,
    send_enrolment_link,
)
from turntide.accounts.roles import ADMIN_SITE_ROLES
from turntide.audit.actions import record

admin.site.unregister(User)


def roles_field(required: bool) -> forms.ModelMultipleChoiceField[Group]:
    """Roles as labelled checkboxes (the admin's two-list widget gives its icons ARIA labels
    that their element may not carry)."""
    return forms.ModelMultipleChoiceField(
        Group.objects.order_by("name"),
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        required=required,
    )


class PasswordStatusWidget(forms.Widget):
    """Whether a password is set, and the link to set another; never the hash's algorithm,
    parameters, salt or digest, which Django's own widget shows."""

    template_name = "accounts/password_status.html"

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)  # the hash never reaches the template
        context["password_set"] = bool(value) and not value.startswith(UNUSABLE_PASSWORD_PREFIX)
        return context

    def id_for_label(self, id_: str) -> str:
        """Nothing here takes input, so the field's label points at nothing."""
        return ""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        # The project's templates, which the form renderer (Django's own folders) cannot see.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class StaffChangeForm(forms.ModelForm[User]):
    password = forms.Field(required=False, disabled=True, widget=PasswordStatusWidget)
    groups = roles_field(required=False)

    class Meta:
        model = User
        fields = ("username", "password", "first_name", "last_name", "email", "is_active", "groups")
        field_classes = {"username": UsernameField}


class InvitationForm(forms.ModelForm[User]):
    """A new account: who, how to reach them, which roles. No password: see the module."""

    email = forms.EmailField(help_text=_("The one-time enrolment link goes to this address."))
    groups = roles_field(required=True)

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "groups")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


@admin.register(User)
class StaffAdmin(UserAdmin[User]):
    form = StaffChangeForm
    add_form = InvitationForm
    add_fieldsets = ((None, {"fields": InvitationForm.Meta.fields}),)
    readonly_fields = ("is_superuser", "is_staff", "user_permissions", "last_login", "date_joined")
    actions = ["reset_second_factor", "deactivate"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        users = super().get_queryset(request)
        user = request.user
        return users if getattr(user, "is_superuser", False) else users.filter(is_superuser=False)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        may_manage = request.user.has_perm("accounts.manage_staff")
        return may_manage and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.manage_staff")

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
        if not change:
            send_enrolment_link(user, do_issue_enrolment_link(request.user, user))
            self.message_user(
                request, gettext("An enrolment link was sent to %(email)s.") % {"email": user.email}
            )

    @admin.action(description=_("Reset the second factor and mail a new enrolment link"))
    def reset_second_factor(self, request: HttpRequest, users: QuerySet[User]) -> None:
        unreachable = [user.username for user in users if not user.email]
        if unreachable:
            names = ", ".join(unreachable)
            self.message_user(
                request,
                gettext("Add an email address first: %(names)s.") % {"names": names},
                messages.ERROR,
            )
            return
        for user in users:
            send_enrolment_link(user, do_reset_second_factor(request.user, user))
        count = len(users)
        self.message_user(
            request,
            ngettext(
                "A new enrolment link was sent to %(count)s person.",
                "New enrolment links were sent to %(count)s people.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Deactivate (no login; link and authenticator removed)"))
    def deactivate(self, request: HttpRequest, users: QuerySet[User]) -> None:
        closed = [user.username for user in users if do_deactivate_user(request.user, user)]
        level = messages.SUCCESS if closed else messages.WARNING
        names = ", ".join(closed) or gettext("none")
        self.message_user(request, gettext("Deactivated: %(names)s.") % {"names": names}, level)
