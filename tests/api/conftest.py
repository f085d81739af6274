from __future__ import annotations

from collections.abc import Callable

import pytest

from turntide.members.actions import do_create_organisation, do_issue_token


@pytest.fixture
def issue_token(db: None) -> Callable[..., str]:
    """Issue a token for a fresh organisation licensed for every service it is scoped to."""

    def issue(*services: str, kind: str = "platform", name: str = "Example Platform") -> str:
        from turntide.members.models import Organisation

        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = do_create_organisation("system", name, services, kind=kind)
        return do_issue_token("system", organisation, services)[1]

    return issue


@pytest.fixture
def reporter_token(issue_token: Callable[..., str]) -> str:
    return issue_token("report")
