"""Staff login: argon2, throttling, idle expiry and the TOTP second factor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.helpers import THREADS, run_at_once


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_stored_with_argon2(analyst) -> None:
    assert User.objects.get(username="ada").password.startswith("argon2")


def test_a_correct_password_logs_in_and_is_audited(client: Client, analyst) -> None:
    from turntide.audit.models import Event

    response = login(client, "ada")
    assert response.status_code == 302
    assert Event.objects.filter(action="account.logged_in", object_code="ada").exists()


def test_repeated_failures_lock_the_account_for_a_while(client: Client, analyst, settings) -> None:
    settings.TURNTIDE_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert login(client, "ada", "wrong password").status_code == 200
    response = login(client, "ada", PASSWORD)
    assert response.status_code == 200
    assert b"Too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_failures_just_before_a_window_ends_still_lock_just_after(
    client: Client, analyst, settings, monkeypatch
) -> None:
    settings.TURNTIDE_LOGIN_MAX_FAILURES = 2
    settings.TURNTIDE_LOGIN_LOCKOUT_MINUTES = 15
    moment = [datetime(2026, 3, 2, 10, 14, 59, tzinfo=UTC)]
    monkeypatch.setattr(timezone, "now", lambda: moment[0])
    for _ in range(2):
        login(client, "ada", "wrong password")
    moment[0] += timedelta(seconds=2)  # 10:15:01, the next window
    for _ in range(3):  # refused attempts do not lengthen the lock
        assert b"Too many failed attempts" in login(client, "ada", PASSWORD).content
    moment[0] += timedelta(minutes=15)  # the failures are a window behind now
    assert login(client, "ada", PASSWORD).status_code == 302


def test_a_successful_login_does_not_count_towards_the_lock(
    client: Client, analyst, settings
) -> None:
    settings.TURNTIDE_LOGIN_MAX_FAILURES = 2
    for _ in range(3):
        assert login(client, "ada").status_code == 302
        client.logout()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_guesses_made_at_once_cannot_all_slip_under_the_limit(analyst, settings) -> None:
    settings.TURNTIDE_LOGIN_MAX_FAILURES = 1
    throttled: list[bool] = []

    def guess(number: int) -> None:
        response = login(Client(), "ada", f"guess {number}")
        throttled.append(b"Too many failed attempts" in response.content)

    assert run_at_once(guess) == []
    assert sorted(throttled) == [False] + [True] * (THREADS - 1)


def test_sessions_expire_after_idle_time(client: Client, analyst, settings) -> None:
    login(client, "ada")
    client.get("/cases/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request restarts the idle clock


@override_settings(TURNTIDE_REQUIRE_2FA=True)
def test_staff_must_pass_their_second_factor(client: Client, analyst) -> None:
    device = TOTPDevice.objects.create(user=analyst, confirmed=True, name="Authenticator app")
    login(client, "ada")
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"

    wrong = client.post("/accounts/two-factor/", {"token": "000000"})
    assert b"not right" in wrong.content
    assert client.get("/cases/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()  # a wrong code delays the next try; the test need not wait
    token = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    assert client.post("/accounts/two-factor/", {"token": token}).status_code == 302
    assert client.get("/cases/").status_code == 200


@override_settings(TURNTIDE_REQUIRE_2FA=True)
def test_the_admin_also_needs_the_second_factor(client: Client, administrator) -> None:
    login(client, "root-admin")
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/"


@pytest.mark.django_db
def test_roles_hold_exactly_their_permissions() -> None:
    from django.contrib.auth.models import Group

    from turntide.accounts.roles import ROLE_PERMISSIONS

    for role, names in ROLE_PERMISSIONS.items():
        granted = Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
        expected = {name if "." in name else f"accounts.{name}" for name in names}
        assert {f"{app}.{codename}" for app, codename in granted} == expected
