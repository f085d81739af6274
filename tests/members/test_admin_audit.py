"""Admin edits of organisations and memberships go into the audit trail, with what they set."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from turntide.audit.actions import verify_chain
from turntide.audit.models import Event
from turntide.members.models import Membership, Organisation

NO_TOKENS = {"tokens-TOTAL_FORMS": "0", "tokens-INITIAL_FORMS": "0"}


def organisation_form(organisation: Organisation, **changes: str) -> dict[str, Any]:
    """The change form as the admin page posts it, with `changes` applied."""
    form = {
        "name": organisation.name,
        "kind": organisation.kind,
        "services": '["' + '", "'.join(organisation.services) + '"]',
        "status": organisation.status,
        "agreement_start": "",
        "agreement_end": "",
        "contact_email": "",
        **NO_TOKENS,
    }
    return form | changes


def admin_events(action_prefix: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    events = Event.objects.filter(action__startswith=action_prefix).order_by("sequence")
    return [(e.action, e.actor, e.object_code, e.details) for e in events]


def test_changing_kind_services_status_and_dates_is_audited_with_old_and_new_values(
    client: Client, administrator, isp_a: Organisation
) -> None:
    client.force_login(administrator)
    form = organisation_form(
        isp_a,
        kind="proactive",
        services='["hash-list", "report"]',
        status="suspended",
        agreement_start="2026-01-01",
        agreement_end="2027-12-31",
    )
    response = client.post(f"/admin/members/organisation/{isp_a.pk}/change/", form)
    assert response.status_code == 302
    isp_a.refresh_from_db()
    assert (isp_a.kind, isp_a.services, isp_a.status) == (
        "proactive",
        ["hash-list", "report"],
        "suspended",
    )
    [(action, actor, code, details)] = admin_events("organisation.changed")
    assert (action, actor, code) == ("organisation.changed", "root-admin", isp_a.code)
    assert sorted(details["fields"]) == [
        "agreement_end",
        "agreement_start",
        "kind",
        "services",
        "status",
    ]
    assert details["previous"] == {
        "kind": "isp",
        "services": ["hash-list", "keywords", "url-list"],
        "status": "active",
        "agreement_start": None,
        "agreement_end": None,
    }
    assert details["values"] == {
        "name": "Example ISP A",
        "kind": "proactive",
        "services": ["hash-list", "report"],
        "status": "suspended",
        "agreement_start": "2026-01-01",
        "agreement_end": "2027-12-31",
    }
    assert verify_chain() is None


def test_an_organisation_added_in_the_admin_is_audited(client: Client, administrator) -> None:
    client.force_login(administrator)
    form = {
        "name": "Admin Search",
        "kind": "search",
        "services": '["url-list"]',
        "status": "active",
        **NO_TOKENS,
    }
    response = client.post("/admin/members/organisation/add/", form)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Admin Search")
    [(action, actor, code, details)] = admin_events("organisation.")
    assert (action, actor, code) == ("organisation.created", "root-admin", organisation.code)
    assert details["values"]["kind"] == "search"
    assert details["values"]["services"] == ["url-list"]


@pytest.mark.parametrize(
    "services", ['["url-list", "everything"]', '"url-list"', "not json"], ids=str
)
def test_unknown_services_are_refused_and_change_nothing(
    client: Client, administrator, isp_a: Organisation, services: str
) -> None:
    client.force_login(administrator)
    form = organisation_form(isp_a, services=services, kind="proactive")
    response = client.post(f"/admin/members/organisation/{isp_a.pk}/change/", form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["services"]
    isp_a.refresh_from_db()
    assert (isp_a.kind, isp_a.services) == ("isp", ["hash-list", "keywords", "url-list"])
    assert admin_events("organisation.changed") == []


def test_memberships_added_moved_and_deleted_are_audited_with_user_and_organisation(
    client: Client, administrator, make_staff, isp_a: Organisation, isp_b: Organisation
) -> None:
    person: User = make_staff("pat")
    client.force_login(administrator)
    response = client.post(
        "/admin/members/membership/add/", {"user": person.pk, "organisation": isp_a.pk}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    response = client.post(
        f"/admin/members/membership/{membership.pk}/change/",
        {"user": person.pk, "organisation": isp_b.pk},
    )
    assert response.status_code == 302
    response = client.post(f"/admin/members/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.exists()
    assert admin_events("membership.") == [
        (
            "membership.created",
            "root-admin",
            isp_a.code,
            {
                "fields": ["user", "organisation"],
                "values": {"user": "pat", "organisation": isp_a.code},
            },
        ),
        (
            "membership.changed",
            "root-admin",
            isp_b.code,
            {
                "fields": ["organisation"],
                "previous": {"organisation": isp_a.code},
                "values": {"user": "pat", "organisation": isp_b.code},
            },
        ),
        (
            "membership.deleted",
            "root-admin",
            isp_b.code,
            {"values": {"user": "pat", "organisation": isp_b.code}},
        ),
    ]


def test_memberships_deleted_in_bulk_are_each_audited(
    client: Client, administrator, alice, zoe, isp_a: Organisation, isp_b: Organisation
) -> None:
    client.force_login(administrator)
    response = client.post(
        "/admin/members/membership/",
        {
            "action": "delete_selected",
            "_selected_action": list(Membership.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Membership.objects.exists()
    deleted = {(code, d["values"]["user"]) for _, _, code, d in admin_events("membership.")}
    assert deleted == {(isp_a.code, "alice"), (isp_b.code, "zoe")}


def test_staff_without_the_administrator_role_cannot_edit_memberships(
    client: Client, manager, isp_a: Organisation
) -> None:
    client.force_login(manager)
    response = client.post(
        "/admin/members/membership/add/", {"user": manager.pk, "organisation": isp_a.pk}
    )
    assert response.status_code in (302, 403)  # to the admin login, or refused
    assert not Membership.objects.exists()
    assert admin_events("membership.") == []


def test_the_list_key_and_its_version_are_read_only_in_the_admin(
    client: Client, administrator, isp_a: Organisation
) -> None:
    client.force_login(administrator)
    page = client.get(f"/admin/members/organisation/{isp_a.pk}/change/")
    form = page.context["adminform"].form
    assert not {"list_key", "list_key_version", "code"} & set(form.fields)
    form = organisation_form(isp_a, list_key="00" * 32, list_key_version="7")
    client.post(f"/admin/members/organisation/{isp_a.pk}/change/", form)
    isp_a.refresh_from_db()
    assert (isp_a.list_key, isp_a.list_key_version) == ("", 0)


def test_the_admin_says_whether_a_list_is_keyed_but_never_shows_the_key(
    client: Client, administrator, isp_a: Organisation
) -> None:
    from turntide.members.actions import do_set_list_key

    key = do_set_list_key("system", isp_a)
    client.force_login(administrator)
    page = client.get(f"/admin/members/organisation/{isp_a.pk}/change/").content.decode()
    assert "Keyed URL list" in page
    assert key not in page
