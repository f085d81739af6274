"""Organisations and tokens: scoped, stored as digests, found by prefix, revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from turntide.audit.models import Event
from turntide.members.access import authenticate_token
from turntide.members.actions import (
    InvalidServices,
    do_create_organisation,
    do_issue_token,
    do_revoke_token,
    parse_services,
)
from turntide.members.models import APIToken, Organisation


@pytest.fixture
def platform(db: None) -> Organisation:
    return do_create_organisation("system", "Example Platform", ["report", "url-list"])


def test_a_token_is_stored_only_as_a_digest(platform: Organisation) -> None:
    api_token, token = do_issue_token("system", platform, ["report"])
    assert token.startswith(f"tt_{api_token.prefix}_")
    stored = APIToken.objects.get()
    assert token not in {stored.digest, stored.prefix}
    assert len(stored.digest) == 64
    assert Event.objects.filter(action="token.issued", object_code=platform.code).exists()


def test_the_right_token_authenticates_and_records_its_use(platform: Organisation) -> None:
    api_token, token = do_issue_token("system", platform, ["report"])
    found = authenticate_token(token)
    assert found is not None
    assert found.pk == api_token.pk
    assert found.last_used_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # right prefix, wrong secret
        lambda t: "tt_00000000_" + t.split("_", 2)[2],  # unknown prefix
        lambda t: "Bearer " + t,
        lambda t: "",
        lambda t: "tt__",
    ],
)
def test_a_wrong_token_does_not_authenticate(platform: Organisation, mangle) -> None:
    _api_token, token = do_issue_token("system", platform, ["report"])
    assert authenticate_token(mangle(token)) is None


def test_revoked_expired_and_suspended_tokens_do_not_authenticate(platform: Organisation) -> None:
    revoked, revoked_token = do_issue_token("system", platform, ["report"])
    do_revoke_token("system", revoked)
    assert authenticate_token(revoked_token) is None

    _expired, expired_token = do_issue_token("system", platform, ["report"])
    APIToken.objects.filter(prefix=_expired.prefix).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert authenticate_token(expired_token) is None

    _ok, suspended_token = do_issue_token("system", platform, ["report"])
    Organisation.objects.filter(pk=platform.pk).update(status="suspended")
    assert authenticate_token(suspended_token) is None


def test_a_token_cannot_exceed_the_organisation_s_licence(platform: Organisation) -> None:
    with pytest.raises(InvalidServices, match="not licensed for: hash-list"):
        do_issue_token("system", platform, ["hash-list"])


def test_unknown_services_are_refused() -> None:
    assert parse_services(" url-list, report ,report") == ["report", "url-list"]
    with pytest.raises(InvalidServices, match="unknown service"):
        parse_services("url-list,everything")
    with pytest.raises(InvalidServices):
        parse_services(" , ")


def test_a_secret_may_contain_the_separator() -> None:
    from turntide.members.tokens import token_prefix

    assert token_prefix("tt_abcd1234_se_cr-et") == "abcd1234"
    assert token_prefix("tt_abc_secret") is None
