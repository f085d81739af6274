"""Every action function writes an audit event naming its actor and object."""

from __future__ import annotations

from turntide.audit.models import Event
from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment


def test_receiving_a_report_is_audited_without_identifying_the_reporter(reported_case) -> None:
    event = Event.objects.get(action="report.received")
    assert event.actor == "public"
    assert event.details == {
        "channel": "public",
        "source": "",
        "urls": 1,
        "immediate_danger": False,
    }


def test_creating_a_staff_account_is_audited(analyst) -> None:
    event = Event.objects.get(action="account.created", object_code="ada")
    assert event.details == {"roles": ["analyst"]}


def test_assessing_a_case_is_audited(analyst, reported_case) -> None:
    do_assess(analyst, reported_case, Assessment(outcome="not_illegal"))
    event = Event.objects.get(action="case.assessed")
    assert (event.actor, event.object_code) == ("ada", reported_case.code)
    assert event.details["outcome"] == "not_illegal"


def test_claiming_and_releasing_a_case_are_audited(analyst, reported_case) -> None:
    from turntide.cases.actions import do_claim, do_release

    do_claim(analyst, reported_case)
    do_release(analyst, reported_case)
    actions = Event.objects.filter(object_code=reported_case.code).values_list("action", "actor")
    assert list(actions)[-2:] == [("case.claimed", "ada"), ("case.released", "ada")]


def test_organisations_and_tokens_are_audited(db) -> None:
    from turntide.members.actions import do_create_organisation, do_issue_token, do_revoke_token

    organisation = do_create_organisation("admin", "Example ISP", ["url-list"])
    token, _secret = do_issue_token("admin", organisation, ["url-list"])
    do_revoke_token("admin", token)
    actions = Event.objects.filter(object_code=organisation.code).values_list("action", flat=True)
    assert list(actions) == ["organisation.created", "token.issued", "token.revoked"]


def test_verification_and_decisions_are_audited(
    analyst, senior_analyst, make_staff, reported_case, settings
) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    grading = {"category": "A", "age_group": "3-6", "sex": "boys", "self_generated": "no"}
    do_assess(analyst, reported_case, Assessment(outcome="criminal", **grading))
    do_assess(make_staff("bea", "analyst"), reported_case, Assessment(outcome="not_illegal"))
    do_assess(senior_analyst, reported_case, Assessment(outcome="criminal", **grading))
    actions = Event.objects.filter(object_code=reported_case.code, action__startswith="case.")
    assert [e.action for e in actions if e.action != "case.claimed"] == [
        "case.assessed",
        "case.verified",
        "case.decided",
    ]
