"""Every staff page: anonymous to login, wrong role 403, unknown code 404."""

from __future__ import annotations

import pytest
from django.test import Client

STAFF_PAGES = ["/cases/", "/insights/", "/accounts/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*STAFF_PAGES, "/admin/", "/admin/audit/event/"])
def test_anonymous_visitors_are_sent_to_login(client: Client, path: str) -> None:
    response = client.get(path, follow=True)
    final_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    assert final_path.startswith("/accounts/login/")
    assert response.status_code == 200


def test_anonymous_visitors_are_sent_to_login_from_a_case(client: Client, reported_case) -> None:
    response = client.get(f"/cases/{reported_case.code}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/cases/")


@pytest.mark.parametrize("path", ["/insights/", "/admin/", "/admin/audit/event/"])
def test_an_analyst_is_refused_manager_and_administrator_pages(
    client: Client, analyst, path: str
) -> None:
    client.force_login(analyst)
    assert client.get(path, follow=True).status_code == 403


def test_a_researcher_cannot_open_the_queue(client: Client, researcher) -> None:
    client.force_login(researcher)
    assert client.get("/cases/").status_code == 403


def test_an_account_without_a_role_sees_no_staff_page(client: Client, outsider) -> None:
    client.force_login(outsider)
    assert client.get("/cases/").status_code == 403
    assert client.get("/insights/").status_code == 403
    assert b"no role" in client.get("/accounts/").content.lower()


def test_an_unknown_case_code_is_not_found(client: Client, analyst) -> None:
    client.force_login(analyst)
    assert client.get("/cases/C-0000-0000/").status_code == 404


def test_a_manager_sees_insights_and_an_administrator_the_admin(
    client: Client, manager, administrator
) -> None:
    client.force_login(manager)
    assert client.get("/insights/").status_code == 200
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/audit/event/").status_code == 200


def test_each_page_goes_to_the_role_s_work(client: Client, analyst, manager) -> None:
    client.force_login(analyst)
    assert client.get("/accounts/")["Location"] == "/cases/"
    client.force_login(manager)
    assert client.get("/accounts/")["Location"] == "/cases/"  # managers also oversee the queue


def test_a_member_lands_on_the_member_portal(client: Client, make_staff) -> None:
    from turntide.members.actions import do_create_organisation
    from turntide.members.models import Membership

    user = make_staff("mo")
    organisation = do_create_organisation("system", "Example Member", ["url-list"])
    Membership.objects.create(user=user, organisation=organisation)
    client.force_login(user)
    assert client.get("/accounts/")["Location"] == "/members/"


def test_an_administrator_can_edit_the_public_guidance(client: Client, administrator) -> None:
    client.force_login(administrator)
    page = client.get("/admin/reports/hotlineguidance/add/")
    assert page.status_code == 200
    assert len(page.context["inline_admin_formsets"]) == 2  # wording and agencies, inline


def test_an_analyst_cannot_edit_the_public_guidance(client: Client, analyst) -> None:
    client.force_login(analyst)
    assert client.get("/admin/reports/hotlineguidance/", follow=True).status_code == 403


def test_a_researcher_lands_on_their_own_page_not_a_refusal(client: Client, researcher) -> None:
    client.force_login(researcher)
    response = client.get("/accounts/", follow=True)
    assert response.status_code == 200
    assert b"Research extracts" in response.content


def test_an_administrator_cannot_make_anyone_a_superuser(client: Client, administrator) -> None:
    from django.contrib.auth.models import Group, User

    from turntide.audit.models import Event

    client.force_login(administrator)
    target = User.objects.get(username="root-admin")
    page = client.get(f"/admin/auth/user/{target.pk}/change/")
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    data = {
        "username": "root-admin",
        "is_active": "on",
        "is_superuser": "on",
        "groups": [g.pk for g in Group.objects.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    client.post(f"/admin/auth/user/{target.pk}/change/", data)
    target.refresh_from_db()
    assert not target.is_superuser
    event = Event.objects.filter(action="account.roles_changed").last()
    assert event is not None
    assert "analyst" in event.details["roles"]


def test_failed_logins_are_audited_only_for_real_accounts(client: Client, analyst) -> None:
    from turntide.audit.models import Event

    client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    client.post("/accounts/login/", {"username": "my secret password", "password": "x"})
    failed = Event.objects.filter(action="account.login_failed")
    assert list(failed.values_list("object_code", flat=True)) == ["ada"]
