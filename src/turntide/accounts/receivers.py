"""Logins and failed logins go into the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from turntide.audit.actions import record


def audit_login(sender: Any, request: Any, user: Any, **_: Any) -> None:
    record(user, "account.logged_in", object_type="user", object_code=user.get_username())


def audit_logout(sender: Any, request: Any, user: Any, **_: Any) -> None:
    if user is not None:
        record(user, "account.logged_out", object_type="user", object_code=user.get_username())


def audit_failed_login(sender: Any, credentials: dict[str, Any], **_: Any) -> None:
    """Failed logins to real accounts only: whatever else was typed (a password in the
    wrong box, say) must not enter the undeletable trail."""
    username = str(credentials.get("username", ""))[:150]
    if User.objects.filter(username=username).exists():
        record("public", "account.login_failed", object_type="user", object_code=username[:64])


user_logged_in.connect(audit_login, dispatch_uid="accounts.audit_login")
user_logged_out.connect(audit_logout, dispatch_uid="accounts.audit_logout")
user_login_failed.connect(audit_failed_login, dispatch_uid="accounts.audit_failed_login")
