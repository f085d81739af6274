"""Blind verification: the verifier sees the address and reports, never the first judgement,
until they have recorded their own; a senior sees both with the differing fields marked; a
form the viewer may not submit is not shown, and the page says who may act instead."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.cases.grading import GRADING
from turntide.cases.models import URLCase

FIRST_NOTE = "first-analyst-note-7f3a"


@pytest.fixture
def verifying(client: Client, analyst, reported_case, settings) -> URLCase:
    """ada's Category A judgement, awaiting a second analyst."""
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    client.force_login(analyst)
    client.post(f"/cases/{reported_case.code}/", {**GRADING, "notes": FIRST_NOTE})
    reported_case.refresh_from_db()
    assert reported_case.status == "verifying"
    client.logout()
    return reported_case


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows_marked_differs(page: str) -> list[str]:
    rows = re.findall(r'<tr class="differs"><th scope="row">([^<]+)', page)
    return [row.strip() for row in rows]


def test_the_verifier_sees_the_address_and_reports_but_not_the_first_judgement(
    verifying: URLCase, make_staff
) -> None:
    page = as_user(make_staff("bea", "analyst")).get(f"/cases/{verifying.code}/")
    text = page.content.decode()
    assert verifying.canonical_url in text
    assert "Reports (1)" in text
    assert FIRST_NOTE not in text
    assert ">ada<" not in text
    assert 'class="judgements"' not in text
    assert 'id="blind-note"' in text
    assert 'id="assessment-form"' in text
    assert page.context["round"] == []


def test_after_recording_their_own_the_verifier_sees_both_side_by_side(
    verifying: URLCase, make_staff
) -> None:
    bea = as_user(make_staff("bea", "analyst"))
    bea.post(f"/cases/{verifying.code}/", {**GRADING, "category": "B", "sex": "boys"})
    text = bea.get(f"/cases/{verifying.code}/").content.decode()
    assert FIRST_NOTE in text
    assert 'id="blind-note"' not in text
    assert 'class="side-by-side"' in text
    assert rows_marked_differs(text) == ["Category", "Sex"]
    assert 'id="assessment-form"' not in text  # a senior decides: bea is told so
    assert "only a senior analyst decides a disagreement" in text


def test_a_senior_deciding_sees_both_with_the_differing_fields_highlighted(
    verifying: URLCase, make_staff, senior_analyst
) -> None:
    as_user(make_staff("bea", "analyst")).post(
        f"/cases/{verifying.code}/", {**GRADING, "category": "B"}
    )
    text = as_user(senior_analyst).get(f"/cases/{verifying.code}/").content.decode()
    assert "Decide the disagreement" in text
    assert 'id="assessment-form"' in text
    assert rows_marked_differs(text) == ["Category"]
    sides = re.search(r'<table class="side-by-side".*?</thead>', text, re.S)
    assert sides is not None
    assert ">ada<" in sides.group()
    assert ">bea<" in sides.group()


def test_the_author_sees_their_judgement_and_no_form_to_verify_it(
    verifying: URLCase, analyst
) -> None:
    text = as_user(analyst).get(f"/cases/{verifying.code}/").content.decode()
    assert FIRST_NOTE in text
    assert 'id="assessment-form"' not in text
    assert "a second analyst must verify this assessment; its author cannot" in text


def test_a_senior_who_judged_the_case_is_not_offered_the_decision(
    client: Client, senior_analyst, make_staff, reported_case, settings
) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    as_user(senior_analyst).post(f"/cases/{reported_case.code}/", GRADING)
    as_user(make_staff("bea", "analyst")).post(
        f"/cases/{reported_case.code}/", {**GRADING, "category": "C"}
    )
    text = as_user(senior_analyst).get(f"/cases/{reported_case.code}/").content.decode()
    assert 'id="assessment-form"' not in text
    assert "a senior analyst who made neither judgement decides it" in text
