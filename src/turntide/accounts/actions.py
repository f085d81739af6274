"""Account writes: demo and staff user creation, second-factor enrolment. Each one audited."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group, User
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from turntide.accounts.roles import ADMIN_SITE_ROLES
from turntide.audit.actions import Actor, record


@transaction.atomic
def do_create_staff_user(
    actor: Actor, username: str, password: str, roles: list[str], *, email: str = ""
) -> User:
    user = User.objects.create_user(username=username, password=password, email=email)
    user.groups.set(Group.objects.filter(name__in=roles))
    user.is_staff = bool(ADMIN_SITE_ROLES.intersection(roles))
    user.save(update_fields=["is_staff"])
    record(
        actor,
        "account.created",
        object_type="user",
        object_code=username,
        details={"roles": sorted(roles)},
    )
    return user


def pending_totp_device(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed device a user is enrolling, created on first visit."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    return device


@transaction.atomic
def do_confirm_second_factor(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Check `token` against `device`; on success confirm the device and mark the session."""
    if not device.verify_token(token):
        record(
            request.user,
            "account.second_factor_failed",
            object_type="user",
            object_code=request.user.get_username(),
        )
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(
            request.user,
            "account.second_factor_enrolled",
            object_type="user",
            object_code=request.user.get_username(),
        )
    otp_login(request, device)
    record(
        request.user,
        "account.second_factor_passed",
        object_type="user",
        object_code=request.user.get_username(),
    )
    return True
