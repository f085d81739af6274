"""Every workspace route for every persona, with the answer each must get.

Outsiders (no role, researchers, member users) get 404 for a case or appeal code, so a code
reveals nothing; a role that lacks the step gets 403; anonymous visitors go to login.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from turntide.cases.actions import do_assess
from turntide.cases.appeals.actions import do_record_appeal
from turntide.cases.models import Assessment, URLCase

LOGIN = "login"
PERSONAS = ["anonymous", "analyst", "senior", "manager", "researcher", "member"]
ROLES = {
    "analyst": "analyst",
    "senior": "senior analyst",
    "manager": "manager",
    "researcher": "researcher",
    "member": None,
}

# route: (method, path template, {persona: expected status})
MATRIX = {
    "queue": (
        "get",
        "/cases/",
        dict(analyst=200, senior=200, manager=200, researcher=403, member=403),
    ),
    "next": (
        "post",
        "/cases/next/",
        dict(analyst=302, senior=302, manager=403, researcher=403, member=403),
    ),
    "welfare": (
        "get",
        "/cases/welfare/",
        dict(analyst=403, senior=403, manager=200, researcher=403, member=403),
    ),
    "case": (
        "get",
        "/cases/{case}/",
        dict(analyst=200, senior=200, manager=200, researcher=404, member=404),
    ),
    "release": (
        "post",
        "/cases/{case}/release/",
        dict(analyst=302, senior=302, manager=404, researcher=404, member=404),
    ),
    "appeals": (
        "get",
        "/cases/appeals/",
        dict(analyst=403, senior=200, manager=403, researcher=403, member=403),
    ),
    "record appeal": (
        "get",
        "/cases/appeals/new/{decided}/",
        dict(analyst=200, senior=200, manager=200, researcher=404, member=404),
    ),
    "appeal": (
        "get",
        "/cases/appeals/{appeal}/",
        dict(analyst=200, senior=200, manager=200, researcher=404, member=404),
    ),
    "iccam rounds": (
        "get",
        "/exchange/",
        dict(analyst=403, senior=403, manager=200, researcher=403, member=403),
    ),
}


@pytest.fixture
def codes(make_staff, reported_case: URLCase) -> dict[str, str]:
    from turntide.reports.actions import do_receive_report

    assessor = make_staff("assessor", "analyst")
    _report, urls = do_receive_report("public", ["http://decided.example/"])
    decided = URLCase.objects.get(url_key=urls[0].url_key)
    assessment = do_assess(assessor, decided, Assessment(outcome="not_illegal"))
    appeal = do_record_appeal(assessor, decided, assessment, "host", "Example Host", "Adults only.")
    return {"case": reported_case.code, "decided": decided.code, "appeal": appeal.code}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", MATRIX)
def test_each_persona_gets_the_expected_answer(
    client: Client, make_staff, codes: dict[str, str], route: str, persona: str
) -> None:
    method, template, expected = MATRIX[route]
    if persona != "anonymous":
        role = ROLES[persona]
        user: User = make_staff(f"{persona}-user", *([role] if role else []))
        client.force_login(user)
    response = getattr(client, method)(template.format(**codes))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected[persona]


@pytest.mark.parametrize("path", ["/cases/C-0000-0000/", "/cases/appeals/AP-0000-0000/"])
def test_unknown_codes_are_not_found_even_for_analysts(client: Client, analyst, path: str) -> None:
    client.force_login(analyst)
    assert client.get(path).status_code == 404
