"""Member A never sees or touches member B, by any URL; and the API refuses tokens that
are revoked, expired (401) or not scoped to what they ask for (403)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from turntide.audit.models import Event
from turntide.members.actions import do_issue_token, do_revoke_token
from turntide.members.models import APIToken, Organisation

URL_LIST = "/api/v1/lists/urls"
LONG_AGO = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def b_token(client: Client, isp_b: Organisation, zoe: User) -> tuple[APIToken, str]:
    """B's token, labelled and used once, so that it has usage and a download to leak."""
    api_token, token = do_issue_token("system", isp_b, ["url-list-plain"], label="b-secret-site")
    assert client.get(URL_LIST, headers=bearer(token)).status_code == 200
    return api_token, token


def test_a_sees_nothing_of_b_on_any_portal_page(
    client: Client, alice: User, isp_a: Organisation, isp_b: Organisation, b_token
) -> None:
    b_api_token, _token = b_token
    do_issue_token("system", isp_a, ["url-list"], label="a-resolvers")
    client.force_login(alice)
    for path in ["/members/", "/members/tokens/", f"/members/?organisation={isp_b.code}"]:
        page = client.get(path).content.decode()
        assert "Example ISP A" in page
        for secret in ("Example ISP B", isp_b.code, b_api_token.prefix, "b-secret-site", "zoe"):
            assert secret not in page, (path, secret)
    assert client.get("/members/").context["downloads"] == []
    usage = client.get("/members/tokens/").context["usage"]
    assert [row.token.label for row in usage] == ["a-resolvers"]


def test_b_sees_its_own_download_and_usage(client: Client, zoe: User, b_token) -> None:
    b_api_token, _token = b_token
    client.force_login(zoe)
    [download] = client.get("/members/").context["downloads"]
    assert (download.token_prefix, download.list_name) == (b_api_token.prefix, "urls")
    [row] = client.get("/members/tokens/").context["usage"]
    assert (row.token.prefix, row.downloads) == (b_api_token.prefix, 1)


@pytest.mark.parametrize("prefix", ["b", "unknown", "empty-looking"])
def test_a_cannot_revoke_b_or_unknown_tokens(
    client: Client, alice: User, b_token, prefix: str
) -> None:
    b_api_token, token = b_token
    target = {"b": b_api_token.prefix, "unknown": "00000000", "empty-looking": "%20"}[prefix]
    client.force_login(alice)
    events = Event.objects.count()
    assert client.get(f"/members/tokens/{target}/revoke/").status_code == 404
    response = client.post(f"/members/tokens/{target}/revoke/")
    assert response.status_code == 404
    b_api_token.refresh_from_db()
    assert b_api_token.revoked_at is None
    assert Event.objects.count() == events
    assert client.get(URL_LIST, headers=bearer(token)).status_code == 200


def test_a_cannot_issue_a_token_for_b_or_for_bs_services(
    client: Client, alice: User, isp_a: Organisation, isp_b: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        "/members/tokens/issue/",
        {"services": ["url-list-plain"], "days": "30", "organisation": isp_b.code},
    )
    assert response.status_code == 400
    assert not APIToken.objects.exists()
    client.post(
        "/members/tokens/issue/",
        {"services": ["url-list"], "days": "30", "organisation": isp_b.code},
    )
    assert list(APIToken.objects.values_list("organisation", flat=True)) == [isp_a.pk]


@pytest.mark.django_db
def test_a_revoked_token_gets_401_saying_when_it_was_revoked(
    client: Client, isp_a: Organisation
) -> None:
    api_token, token = do_issue_token("system", isp_a, ["url-list"])
    do_revoke_token("system", api_token)
    APIToken.objects.filter(pk=api_token.pk).update(revoked_at=LONG_AGO)
    response = client.get(URL_LIST, headers=bearer(token))
    assert response.status_code == 401
    assert response.json() == {"detail": "token revoked on 2020-01-02 03:04 UTC"}
    assert response["WWW-Authenticate"] == 'Bearer realm="turntide"'


@pytest.mark.django_db
def test_an_expired_token_gets_401_saying_when_it_expired(
    client: Client, isp_a: Organisation
) -> None:
    api_token, token = do_issue_token("system", isp_a, ["hash-list"])
    APIToken.objects.filter(pk=api_token.pk).update(expires_at=LONG_AGO)
    response = client.get("/api/v1/lists/hashes", headers=bearer(token))
    assert response.status_code == 401
    assert response.json() == {"detail": "token expired on 2020-01-02 03:04 UTC"}


@pytest.mark.django_db
def test_a_token_of_a_suspended_organisation_gets_401_saying_so(
    client: Client, isp_a: Organisation
) -> None:
    _api_token, token = do_issue_token("system", isp_a, ["url-list"])
    Organisation.objects.filter(pk=isp_a.pk).update(status=Organisation.Status.SUSPENDED)
    response = client.get(URL_LIST, headers=bearer(token))
    assert response.status_code == 401
    assert response.json() == {
        "detail": "token suspended: your organisation's agreement is not active"
    }


@pytest.mark.django_db
def test_an_unknown_token_learns_nothing_not_even_whether_its_prefix_exists(
    client: Client, isp_a: Organisation
) -> None:
    revoked, _secret = do_issue_token("system", isp_a, ["url-list"])
    do_revoke_token("system", revoked)
    active, _secret = do_issue_token("system", isp_a, ["url-list"])
    wrong_secret = "_" + "x" * 43
    answers = [
        client.get(URL_LIST),
        client.get(URL_LIST, headers=bearer("tt_00000000" + wrong_secret)),
        client.get(URL_LIST, headers=bearer(f"tt_{active.prefix}{wrong_secret}")),
        client.get(URL_LIST, headers=bearer(f"tt_{revoked.prefix}{wrong_secret}")),
        client.get(URL_LIST, headers=bearer("not a token")),
    ]
    assert {(answer.status_code, answer.content) for answer in answers} == {
        (401, b'{"detail": "Unauthorized"}')
    }


@pytest.mark.django_db
def test_a_token_without_the_scope_gets_403(client: Client, isp_a: Organisation) -> None:
    _api_token, token = do_issue_token("system", isp_a, ["hash-list", "keywords"])
    assert client.get(URL_LIST, headers=bearer(token)).status_code == 403


@pytest.mark.django_db
def test_a_token_issued_in_the_portal_gets_only_its_scope(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        "/members/tokens/issue/", {"services": ["keywords"], "days": "7"}, follow=True
    )
    secret = response.context["issued"][1]
    assert client.get(URL_LIST, headers=bearer(secret)).status_code == 403
