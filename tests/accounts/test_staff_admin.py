"""Administrators invite staff, reset a lost second factor and deactivate accounts in /admin/."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from turntide.accounts.models import EnrolmentLink
from turntide.audit.models import Event

ADD = "/admin/auth/user/add/"
CHANGELIST = "/admin/auth/user/"


@pytest.fixture
def admin_client(client: Client, administrator) -> Client:
    client.force_login(administrator)
    return client


def invite(client: Client, username: str = "nina", *roles: str) -> object:
    groups = Group.objects.filter(name__in=roles or ["analyst"]).values_list("pk", flat=True)
    return client.post(
        ADD,
        {
            "username": username,
            "first_name": "Nina",
            "last_name": "Example",
            "email": f"{username}@hotline.test",
            "groups": list(groups),
        },
    )


def test_an_administrator_adds_a_staff_account_and_its_owner_gets_the_link(
    admin_client: Client, settings
) -> None:
    settings.TURNTIDE_SITE_URL = "https://hotline.test"
    form = admin_client.get(ADD)
    assert form.status_code == 200
    assert b"password" not in form.content.lower().split(b"<form", 1)[1].split(b"</form>")[0]

    assert invite(admin_client, "nina", "analyst", "manager").status_code == 302
    user = User.objects.get(username="nina")
    assert sorted(user.groups.values_list("name", flat=True)) == ["analyst", "manager"]
    assert not user.has_usable_password()
    assert not user.is_staff
    (message,) = mail.outbox
    assert message.to == ["nina@hotline.test"]
    assert "https://hotline.test/accounts/enrol/" in message.body
    assert EnrolmentLink.objects.filter(user=user, used_at=None).count() == 1
    assert Event.objects.filter(action="account.created", object_code="nina").exists()
    assert Event.objects.filter(action="account.enrolment_link_issued", actor="root-admin")


def test_an_invitation_needs_an_email_address_and_a_role(admin_client: Client) -> None:
    response = admin_client.post(ADD, {"username": "nina", "email": "", "groups": []})
    assert response.status_code == 200
    assert not User.objects.filter(username="nina").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["manager", "analyst", "outsider"])
def test_only_administrators_may_add_staff(
    client: Client, db: None, request: pytest.FixtureRequest, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ADD, follow=True).status_code == 403
    assert client.post(ADD, {"username": "nina"}, follow=True).status_code == 403
    assert not User.objects.filter(username="nina").exists()


def test_anonymous_visitors_are_sent_to_login(client: Client, db: None) -> None:
    response = client.get(ADD, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def run_action(client: Client, action: str, user: User) -> object:
    return client.post(CHANGELIST, {"action": action, "_selected_action": [user.pk]}, follow=True)


def test_a_reset_mails_a_new_link_and_voids_the_authenticator(
    admin_client: Client, analyst
) -> None:
    device = TOTPDevice.objects.create(user=analyst, confirmed=True)
    page = run_action(admin_client, "reset_second_factor", analyst)
    assert b"Add an email address first: ada" in page.content
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    User.objects.filter(pk=analyst.pk).update(email="ada@hotline.test")
    run_action(admin_client, "reset_second_factor", analyst)
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    (message,) = mail.outbox
    assert message.to == ["ada@hotline.test"]
    assert "/accounts/enrol/" in message.body
    assert Event.objects.filter(action="account.second_factor_reset", object_code="ada")


def test_deactivation_is_one_audited_action_that_ends_login(admin_client: Client, analyst) -> None:
    TOTPDevice.objects.create(user=analyst, confirmed=True)
    page = run_action(admin_client, "deactivate", analyst)
    assert b"Deactivated: ada" in page.content
    analyst.refresh_from_db()
    assert not analyst.is_active
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    assert not Client().login(username="ada", password=PASSWORD)
    assert Event.objects.filter(action="account.deactivated", actor="root-admin").count() == 1
    run_action(admin_client, "deactivate", analyst)  # twice: nothing more happens
    assert Event.objects.filter(action="account.deactivated").count() == 1


@pytest.mark.parametrize(
    ("hotline_language", "admin_language", "subject", "greeting"),
    [
        ("de", "fr", "Ihr Mitarbeiterkonto", "Hallo Nina Example,"),
        ("en", "de", "staff account", "Hello Nina Example,"),
    ],
)
def test_the_enrolment_mail_is_in_the_hotlines_language_not_the_senders(
    admin_client: Client,
    settings,
    hotline_language: str,
    admin_language: str,
    subject: str,
    greeting: str,
) -> None:
    settings.LANGUAGE_CODE = hotline_language
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = admin_language
    assert invite(admin_client).status_code == 302
    (message,) = mail.outbox
    assert subject in message.subject
    assert message.body.startswith(greeting)
