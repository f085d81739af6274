"""Staff accounts by invitation: the one-time enrolment link, resets and deactivation.

The rule under all of these: the second factor belongs to whoever received the link, never
to whoever knows (or guesses) the password first.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.helpers import THREADS, run_at_once
from turntide.accounts.actions import (
    do_create_staff_user,
    do_issue_enrolment_link,
    do_reset_second_factor,
)
from turntide.accounts.enrolment import enrolment_path
from turntide.accounts.models import EnrolmentLink
from turntide.accounts.views import typed_key
from turntide.audit.models import Event

NEW_PASSWORD = "a long and unusual pass phrase 42"


def code_for(user: User, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows now (or `steps_ahead` steps later)."""
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, drift=steps_ahead)
    return f"{code:0{device.digits}d}"


def enrol(client: Client, token: str, user: User, code: str | None = None):
    return client.post(
        enrolment_path(token),
        {
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "token": code if code is not None else code_for(user),
        },
    )


@pytest.fixture
def invited(db: None) -> tuple[User, str]:
    user = do_create_staff_user("system", "nina", None, ["analyst"], email="nina@hotline.test")
    return user, do_issue_enrolment_link("system", user)


@override_settings(TURNTIDE_REQUIRE_2FA=True)
def test_knowing_the_password_is_not_enough_to_claim_the_second_factor(
    client: Client, analyst
) -> None:
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    page = client.get("/accounts/two-factor/")
    assert b"data:image/svg+xml" not in page.content
    assert b"enrolment link" in page.content
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    client.post("/accounts/two-factor/", {"token": "123456"})
    assert client.get("/cases/").status_code == 302


def test_a_new_account_has_no_password_until_its_link_is_used(invited) -> None:
    user, _token = invited
    assert not user.has_usable_password()
    assert not Client().login(username="nina", password="")


@override_settings(TURNTIDE_REQUIRE_2FA=True)
def test_the_link_sets_the_password_and_the_authenticator_and_logs_in(
    client: Client, invited
) -> None:
    user, token = invited
    page = client.get(enrolment_path(token))
    assert page.status_code == 200
    assert typed_key(TOTPDevice.objects.get(user=user).bin_key).encode() in page.content

    response = enrol(client, token, user)
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200  # logged in, second factor passed
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert Event.objects.filter(action="account.enrolled", object_code="nina").exists()


def test_the_link_works_once(client: Client, invited) -> None:
    user, token = invited
    enrol(client, token, user)
    again = Client().get(enrolment_path(token))
    assert again.status_code == 404
    assert b"no longer works" in again.content
    assert enrol(Client(), token, user, code_for(user, 1)).status_code == 404


def test_a_lapsed_link_is_refused(client: Client, invited) -> None:
    user, token = invited
    EnrolmentLink.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(1))
    assert client.get(enrolment_path(token)).status_code == 404
    assert enrol(client, token, user).status_code == 404
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_links_lapse_after_the_configured_hours(invited, settings) -> None:
    user, _token = invited
    settings.TURNTIDE_ENROLMENT_LINK_HOURS = 2
    do_issue_enrolment_link("system", user)
    link = EnrolmentLink.objects.get(user=user)
    assert timedelta(hours=1, minutes=59) < link.expires_at - timezone.now() <= timedelta(hours=2)


def test_an_unknown_token_opens_nothing(client: Client, db: None) -> None:
    assert client.get(enrolment_path("not-a-token")).status_code == 404


def test_a_wrong_code_leaves_the_link_unused_and_no_password_set(client: Client, invited) -> None:
    user, token = invited
    right = code_for(user)
    response = enrol(client, token, user, "000000" if right != "000000" else "111111")
    assert response.status_code == 200
    assert b"not right" in response.content
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert EnrolmentLink.objects.get(user=user).used_at is None
    assert not TOTPDevice.objects.get(user=user).confirmed


def test_a_weak_password_is_refused_with_the_reason(client: Client, invited) -> None:
    user, token = invited
    response = client.post(
        enrolment_path(token),
        {"new_password1": "short", "new_password2": "short", "token": code_for(user)},
    )
    assert response.status_code == 200
    assert b"too short" in response.content
    assert EnrolmentLink.objects.get(user=user).used_at is None


def test_a_reset_voids_the_old_authenticator_and_link_and_is_audited(
    client: Client, invited
) -> None:
    user, first = invited
    enrol(client, first, user)
    old_device = TOTPDevice.objects.get(user=user)

    second = do_reset_second_factor("root-admin", user)
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert Client().get(enrolment_path(first)).status_code == 404
    assert enrol(Client(), second, user).status_code == 302
    assert Event.objects.filter(
        action="account.second_factor_reset", actor="root-admin", object_code="nina"
    ).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_a_link_used_twice_at_once_enrols_only_one_authenticator_holder() -> None:
    user = do_create_staff_user("system", "nina", None, ["analyst"], email="nina@hotline.test")
    token = do_issue_enrolment_link("system", user)
    code = code_for(user)
    answers: list[int] = []

    def use(_number: int) -> None:
        answers.append(enrol(Client(), token, user, code).status_code)

    assert run_at_once(use) == []
    assert answers.count(302) == 1, answers
    assert len(answers) == THREADS
    assert Event.objects.filter(action="account.enrolled").count() == 1
