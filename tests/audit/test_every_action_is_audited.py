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
