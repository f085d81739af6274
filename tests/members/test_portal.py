"""The member portal: an organisation's details, downloads, usage, and its tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

from turntide.audit.actions import record
from turntide.audit.models import Event
from turntide.members.actions import do_issue_token
from turntide.members.keywords import do_add_keyword
from turntide.members.models import APIToken, Organisation

PAGES = ["/members/", "/members/tokens/", "/members/tokens/00000000/revoke/"]
POSTS = ["/members/tokens/issue/", "/members/tokens/00000000/revoke/"]


def download(client: Client, token: str) -> int:
    response = client.get("/api/v1/lists/urls", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def issue(client: Client, *, follow: bool = False, **fields: object) -> object:
    form = {"services": ["url-list"], "label": "resolver cluster", "days": "30"} | fields
    return client.post("/members/tokens/issue/", form, follow=follow)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_login(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_a_member_sees_their_organisations_agreement(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    Organisation.objects.filter(pk=isp_a.pk).update(
        agreement_start="2026-01-01", agreement_end="2027-12-31", contact_email="noc@isp-a.test"
    )
    client.force_login(alice)
    page = client.get("/members/").content.decode()
    for shown in ("Example ISP A", isp_a.code, "Active", "2026-01-01", "2027-12-31"):
        assert shown in page
    assert "noc@isp-a.test" in page
    assert "<code>hash-list</code>, <code>keywords</code>, <code>url-list</code>" in page
    assert "turntide list sync --server http://testserver --out url-list.bin" in page
    assert "--key-file" not in page


def test_the_page_shows_the_licensed_lists_and_their_versions(
    client: Client, alice: User, isp_a: Organisation, analyst: User
) -> None:
    do_add_keyword(analyst, "synthetic term", "en")
    client.force_login(alice)
    lists = client.get("/members/").context["lists"]
    assert [(str(each.name), each.path, each.version) for each in lists] == [
        ("URL list", "/api/v1/lists/urls", 0),
        ("Keyword list", "/api/v1/lists/keywords", 1),
        ("Hash list", "/api/v1/lists/hashes", 0),
    ]


def test_the_sync_instructions_appear_only_with_a_url_list_licence(
    client: Client, make_member, isp_a: Organisation
) -> None:
    Organisation.objects.filter(pk=isp_a.pk).update(services=["hash-list"])
    client.force_login(make_member("hashes-only", isp_a))
    response = client.get("/members/")
    assert "turntide list sync" not in response.content.decode()
    assert [each.path for each in response.context["lists"]] == ["/api/v1/lists/hashes"]


def test_a_keyed_member_is_told_to_check_with_its_key(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    Organisation.objects.filter(pk=isp_a.pk).update(list_key="k" * 64)
    client.force_login(alice)
    page = client.get("/members/").content.decode()
    assert "--key-file list.key" in page
    assert "k" * 64 not in page


def test_downloads_and_usage_come_from_the_audit_trail(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    api_token, token = do_issue_token("system", isp_a, ["url-list"], label="resolvers")
    assert download(client, token) == 200
    assert download(client, token) == 200
    client.force_login(alice)

    overview = client.get("/members/").content.decode()
    assert overview.count(f"<td><code>{api_token.prefix}</code></td><td>urls</td>") == 2

    row = client.get("/members/tokens/").content.decode().split(f'id="token-{api_token.prefix}"')
    assert len(row) == 2
    cells = row[1].split("</tr>")[0]
    assert "resolvers" in cells
    assert "never" not in cells  # last used is recorded
    assert "<td>2</td>" in cells


def test_downloads_older_than_thirty_days_do_not_count_as_usage(
    client: Client, alice: User, isp_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    api_token, token = do_issue_token("system", isp_a, ["url-list"])
    long_ago = timezone.now() - timedelta(days=31)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: long_ago)
        record(
            f"token:{api_token.prefix}",
            "list.downloaded",
            object_type="organisation",
            object_code=isp_a.code,
            details={"list": "urls", "version": 1},
        )
    assert download(client, token) == 200
    client.force_login(alice)
    usage = client.get("/members/tokens/").context["usage"]
    assert [(row.token.prefix, row.downloads) for row in usage] == [(api_token.prefix, 1)]


@pytest.mark.django_db
def test_an_account_in_no_organisation_is_told_so(client: Client, outsider: User) -> None:
    client.force_login(outsider)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 403
        assert b"does not belong to any member organisation" in response.content


@pytest.mark.parametrize("persona", ["analyst", "manager", "administrator", "researcher"])
def test_hotline_staff_without_a_membership_get_not_found(
    client: Client, request: pytest.FixtureRequest, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    for path in PAGES:
        assert client.get(path).status_code == 404
    for path in POSTS:
        assert client.post(path).status_code == 404


def test_a_member_administrator_issues_a_token_shown_once(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    client.force_login(alice)
    response = issue(client, services=["url-list", "keywords"], days="30", follow=True)
    assert response.redirect_chain == [("/members/tokens/", 302)]
    assert "no-store" in response["Cache-Control"]
    api_token = APIToken.objects.get(organisation=isp_a)
    secret = response.context["issued"][1]
    assert secret.startswith(f"tt_{api_token.prefix}_")
    assert secret in response.content.decode()
    assert api_token.services == ["keywords", "url-list"]
    assert api_token.label == "resolver cluster"
    lifetime = api_token.expires_at - api_token.created_at
    assert timedelta(days=30) - timedelta(seconds=5) < lifetime <= timedelta(days=30)
    event = Event.objects.get(action="token.issued", object_code=isp_a.code)
    assert event.actor == "alice"
    assert event.details["prefix"] == api_token.prefix

    assert secret not in client.get("/members/tokens/").content.decode()
    assert download(client, secret) == 200


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"services": []}, "Choose at least one service."),
        ({"services": ["url-list-plain"]}, "Select a valid choice."),  # not licensed to A
        ({"services": ["no-such-service"]}, "Select a valid choice."),
        ({"days": "0"}, "greater than or equal to 1"),
        ({"days": "366"}, "less than or equal to 365"),
        ({"days": "soon"}, "Enter a whole number."),
        ({"label": "x" * 101}, "at most 100 characters"),
    ],
)
def test_a_bad_token_request_is_refused_and_changes_nothing(
    client: Client, alice: User, isp_a: Organisation, fields: dict[str, object], error: str
) -> None:
    client.force_login(alice)
    events = Event.objects.count()
    response = issue(client, **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not APIToken.objects.exists()
    assert Event.objects.count() == events


def test_a_suspended_organisation_gets_no_new_token(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    Organisation.objects.filter(pk=isp_a.pk).update(status=Organisation.Status.SUSPENDED)
    client.force_login(alice)
    response = issue(client)
    assert response.status_code == 409
    assert "agreement is suspended" in response.content.decode()
    assert not APIToken.objects.exists()


def test_while_suspended_tokens_show_as_unusable_and_can_still_be_revoked(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    api_token, _token = do_issue_token("system", isp_a, ["url-list"])
    Organisation.objects.filter(pk=isp_a.pk).update(status=Organisation.Status.ENDED)
    client.force_login(alice)
    [row] = client.get("/members/tokens/").context["usage"]
    assert (row.state, row.revocable) == ("suspended", True)
    assert client.post(f"/members/tokens/{api_token.prefix}/revoke/").status_code == 302
    api_token.refresh_from_db()
    assert api_token.revoked_at is not None


@override_settings(TURNTIDE_REQUIRE_2FA=True)
def test_the_portal_asks_for_the_second_factor_like_staff_pages(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/two-factor/"


def test_a_member_administrator_revokes_a_token(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    api_token, token = do_issue_token("system", isp_a, ["url-list"])
    client.force_login(alice)
    response = client.post(f"/members/tokens/{api_token.prefix}/revoke/", follow=True)
    assert response.redirect_chain == [("/members/tokens/", 302)]
    assert f"Token {api_token.prefix} is revoked" in response.content.decode()
    api_token.refresh_from_db()
    assert api_token.revoked_at is not None
    event = Event.objects.get(action="token.revoked")
    assert (event.actor, event.details) == ("alice", {"prefix": api_token.prefix})
    assert download(client, token) == 401
    # Revoked tokens stay listed, without a revoke button.
    row = response.content.decode().split(f'id="token-{api_token.prefix}"')[1].split("</tr>")[0]
    assert "revoked" in row
    assert "<button" not in row


def test_a_member_without_the_administrator_role_may_look_but_not_manage(
    client: Client, make_member, isp_a: Organisation
) -> None:
    api_token, _token = do_issue_token("system", isp_a, ["url-list"])
    client.force_login(make_member("viewer", isp_a))
    page = client.get("/members/tokens/")
    assert page.status_code == 200
    assert api_token.prefix in page.content.decode()
    assert b"/members/tokens/issue/" not in page.content
    assert b"/revoke/" not in page.content
    assert issue(client).status_code == 403
    assert client.get(f"/members/tokens/{api_token.prefix}/revoke/").status_code == 403
    assert client.post(f"/members/tokens/{api_token.prefix}/revoke/").status_code == 403
    api_token.refresh_from_db()
    assert api_token.revoked_at is None
    assert APIToken.objects.count() == 1


def test_token_changes_need_a_post_with_a_csrf_token(alice: User, isp_a: Organisation) -> None:
    api_token, _token = do_issue_token("system", isp_a, ["url-list"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    revoke = f"/members/tokens/{api_token.prefix}/revoke/"
    assert client.get(revoke).status_code == 200  # the confirmation, which changes nothing
    assert client.get("/members/tokens/issue/").status_code == 405
    assert client.post(revoke).status_code == 403
    assert issue(client).status_code == 403
    api_token.refresh_from_db()
    assert api_token.revoked_at is None
    assert APIToken.objects.count() == 1
