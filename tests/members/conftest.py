"""Member personas: two organisations, each with a member administrator (portal tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from turntide.accounts.roles import MEMBER_ADMINISTRATOR
from turntide.members.actions import do_create_organisation
from turntide.members.models import Membership, Organisation


@pytest.fixture
def make_member(make_staff: Callable[..., User]) -> Callable[..., User]:
    """A portal user of `organisation`, with the given roles (none: may only look)."""

    def make(username: str, organisation: Organisation, *roles: str) -> User:
        user = make_staff(username, *roles)
        Membership.objects.create(user=user, organisation=organisation)
        return user

    return make


@pytest.fixture
def isp_a(db: None) -> Organisation:
    return do_create_organisation(
        "system", "Example ISP A", ["hash-list", "keywords", "url-list"], kind="isp"
    )


@pytest.fixture
def isp_b(db: None) -> Organisation:
    return do_create_organisation("system", "Example ISP B", ["url-list", "url-list-plain"])


@pytest.fixture
def alice(make_member: Callable[..., User], isp_a: Organisation) -> User:
    """Member administrator of A."""
    return make_member("alice", isp_a, MEMBER_ADMINISTRATOR)


@pytest.fixture
def zoe(make_member: Callable[..., User], isp_b: Organisation) -> User:
    """Member administrator of B."""
    return make_member("zoe", isp_b, MEMBER_ADMINISTRATOR)
