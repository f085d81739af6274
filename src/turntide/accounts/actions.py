"""Account writes: staff accounts, enrolment links, second factors, deactivation. Each audited."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import Group, User
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from turntide.accounts.enrolment import enrolment_url, link_digest, new_link_token
from turntide.accounts.models import EnrolmentLink
from turntide.accounts.roles import ADMIN_SITE_ROLES
from turntide.audit.actions import Actor, actor_name, record


@transaction.atomic
def do_create_staff_user(
    actor: Actor, username: str, password: str | None, roles: list[str], *, email: str = ""
) -> User:
    """No password (None): the account is usable only once its enrolment link is used."""
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


@transaction.atomic
def do_issue_enrolment_link(actor: Actor, user: User) -> str:
    """A new one-time link for `user`, with a fresh authenticator waiting to be enrolled.

    Earlier links and authenticators of the account stop working: the second factor is
    whatever the holder of this link enrols. Returns the link's token, shown only now.
    """
    EnrolmentLink.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")
    token = new_link_token()
    hours = settings.TURNTIDE_ENROLMENT_LINK_HOURS
    link = EnrolmentLink.objects.create(
        user=user,
        digest=link_digest(token),
        created_by=actor_name(actor),
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    record(
        actor,
        "account.enrolment_link_issued",
        object_type="user",
        object_code=user.get_username(),
        details={"expires_at": link.expires_at.isoformat(timespec="seconds")},
    )
    return token


def send_enrolment_link(user: User, token: str) -> None:
    """Mail the link to the person alone; nobody else sees it. In the hotline's language
    (TURNTIDE_LANGUAGE), not that of the administrator who sends it: an account has no
    language of its own, and the newcomer has not yet chosen one."""
    context = {
        "user": user,
        "url": enrolment_url(token),
        "hours": settings.TURNTIDE_ENROLMENT_LINK_HOURS,
        "hotline": settings.OTP_TOTP_ISSUER,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/enrolment_subject.txt", context)
        body = render_to_string("accounts/email/enrolment.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=[user.email]).send()


@transaction.atomic
def do_accept_enrolment(
    request: HttpRequest, link: EnrolmentLink, password: str, device: TOTPDevice, code: str
) -> bool:
    """Use `link` once: with a right code, set the password, confirm the authenticator and
    log the person in. False (and the link still unused) when the code is wrong or the link
    was used, revoked or lapsed meanwhile."""
    user = link.user
    if not device.verify_token(code):
        record(user, "account.second_factor_failed", object_type="user", object_code=user.username)
        return False
    used = EnrolmentLink.objects.filter(
        pk=link.pk, used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now())
    if used != 1:
        return False
    user.set_password(password)
    user.save(update_fields=["password"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(user, "account.enrolled", object_type="user", object_code=user.get_username())
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    return True


@transaction.atomic
def do_reset_second_factor(actor: Actor, user: User) -> str:
    """An administrator's answer to a lost authenticator: the old one stops working at once
    and a new enrolment link is issued (its token returned)."""
    record(actor, "account.second_factor_reset", object_type="user", object_code=user.username)
    return do_issue_enrolment_link(actor, user)


@transaction.atomic
def do_deactivate_user(actor: Actor, user: User) -> bool:
    """Close an account: no login, no pending link, no authenticator. False: already closed."""
    if User.objects.filter(pk=user.pk, is_active=True).update(is_active=False) != 1:
        return False
    user.is_active = False
    EnrolmentLink.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    record(actor, "account.deactivated", object_type="user", object_code=user.get_username())
    return True
