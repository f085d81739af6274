"""Appeals: recording one, a senior analyst's decision, and what an upheld appeal changes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from turntide.audit.models import Event
from turntide.cases.actions import do_assess
from turntide.cases.appeals.actions import (
    AppealChangedMeanwhile,
    AppealNotAllowed,
    do_decide_appeal,
    do_record_appeal,
)
from turntide.cases.models import Appeal, Assessment, URLCase
from turntide.cases.signals import case_outcome_changed
from turntide.cases.transitions import TransitionNotAllowed

GRADING_B = {"category": "B", "age_group": "11-13", "sex": "girls", "self_generated": "no"}
GROUNDS = "The page shows a fashion catalogue of adults; see our ticket 42."


def judge(analyst: Any, case: URLCase, outcome: str, **grading: str) -> Assessment:
    do_assess(analyst, case, Assessment(outcome=outcome, **grading))
    case.refresh_from_db()
    return case.assessments.get(decisive=True)


@pytest.fixture
def actioned_case(analyst: Any, reported_case: URLCase) -> URLCase:
    judge(analyst, reported_case, "criminal", **GRADING_B)
    assert reported_case.status == URLCase.Status.ACTIONED
    return reported_case


@pytest.fixture
def appeal(analyst: Any, actioned_case: URLCase) -> Appeal:
    contested = actioned_case.assessments.get(decisive=True)
    return do_record_appeal(analyst, actioned_case, contested, "host", "Example Hosting", GROUNDS)


@pytest.fixture
def outcome_changes() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        seen.append(kwargs)

    case_outcome_changed.connect(receiver, weak=False, dispatch_uid="test_appeals")
    yield seen
    case_outcome_changed.disconnect(dispatch_uid="test_appeals")


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("sequence"))


def test_an_analyst_records_an_appeal_from_the_case(
    client: Client, analyst: Any, actioned_case: URLCase
) -> None:
    client.force_login(analyst)
    page = client.get(f"/cases/appeals/new/{actioned_case.code}/")
    assert page.status_code == 200
    assert b"The contested judgement" in page.content
    form = {"appellant_kind": "member", "appellant": "Example ISP", "grounds": GROUNDS}
    response = client.post(f"/cases/appeals/new/{actioned_case.code}/", form)
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/appeals/{appeal.code}/"
    assert appeal.code.startswith("AP-")
    assert appeal.status == Appeal.Status.OPEN
    assert appeal.assessment == actioned_case.assessments.get(decisive=True)
    assert (appeal.appellant_kind, appeal.appellant, appeal.recorded_by) == (
        "member",
        "Example ISP",
        analyst,
    )
    [event] = events("appeal.recorded")
    assert event.object_code == appeal.code
    assert event.details["case"] == actioned_case.code


def test_an_undecided_case_has_nothing_to_appeal(
    client: Client, analyst: Any, reported_case: URLCase
) -> None:
    client.force_login(analyst)
    form = {"appellant_kind": "host", "appellant": "Example Hosting", "grounds": GROUNDS}
    response = client.post(f"/cases/appeals/new/{reported_case.code}/", form)
    assert b"this one is not decided" in response.content
    assert not Appeal.objects.exists()


def test_grounds_must_be_given_and_capped(analyst: Any, actioned_case: URLCase) -> None:
    contested = actioned_case.assessments.get()
    for grounds in ("  ", "x" * 4001):
        with pytest.raises(AppealNotAllowed):
            do_record_appeal(analyst, actioned_case, contested, "host", "Example", grounds)
    assert not Appeal.objects.exists()


def test_upholding_replaces_the_judgement_and_withdraws_the_case(
    client: Client, senior_analyst: Any, appeal: Appeal, outcome_changes: list[dict[str, Any]]
) -> None:
    client.force_login(senior_analyst)
    decision = {"decision": "uphold", "outcome": "not_illegal", "decision_notes": "Adults."}
    response = client.post(f"/cases/appeals/{appeal.code}/", decision)
    assert response.status_code == 302
    appeal.refresh_from_db()
    case = URLCase.objects.get(pk=appeal.case_id)
    new = case.assessments.get(decisive=True)
    assert case.status == URLCase.Status.ASSESSED
    assert (new.kind, new.outcome, new.analyst) == ("appeal", "not_illegal", senior_analyst)
    assert (appeal.status, appeal.decided_by, appeal.new_assessment) == (
        "upheld",
        senior_analyst,
        new,
    )
    assert appeal.decision_notes == "Adults."
    assert list(case.assessments.filter(decisive=True)) == [new]
    [change] = outcome_changes
    assert change["case"] == case
    assert (change["previous"], change["assessment"]) == (appeal.assessment, new)
    [event] = events("appeal.upheld")
    assert event.object_code == appeal.code
    assert event.details["from"] == "actioned"
    assert event.details["status"] == "assessed"
    assert event.details["new_assessment"] == new.code


def test_upholding_a_not_illegal_judgement_actions_the_case(
    analyst: Any, senior_analyst: Any, reported_case: URLCase, outcome_changes: list[Any]
) -> None:
    contested = judge(analyst, reported_case, "not_illegal")
    appeal = do_record_appeal(analyst, reported_case, contested, "other", "Example", GROUNDS)
    do_decide_appeal(senior_analyst, appeal, True, "", Assessment(outcome="criminal", **GRADING_B))
    reported_case.refresh_from_db()
    assert reported_case.status == URLCase.Status.ACTIONED
    assert len(outcome_changes) == 1


def test_a_regrade_keeps_the_case_actioned(
    senior_analyst: Any, appeal: Appeal, outcome_changes: list[Any]
) -> None:
    grading = {**GRADING_B, "category": "C"}
    do_decide_appeal(senior_analyst, appeal, True, "", Assessment(outcome="criminal", **grading))
    case = URLCase.objects.get(pk=appeal.case_id)
    assert case.status == URLCase.Status.ACTIONED
    assert case.assessments.get(decisive=True).category == "C"
    assert len(outcome_changes) == 1


def test_rejecting_changes_only_the_appeal(
    client: Client, senior_analyst: Any, appeal: Appeal, outcome_changes: list[Any]
) -> None:
    client.force_login(senior_analyst)
    decision = {"decision": "reject", "decision_notes": "Graded correctly."}
    assert client.post(f"/cases/appeals/{appeal.code}/", decision).status_code == 302
    appeal.refresh_from_db()
    case = URLCase.objects.get(pk=appeal.case_id)
    assert (appeal.status, appeal.decision_notes) == ("rejected", "Graded correctly.")
    assert case.status == URLCase.Status.ACTIONED
    assert list(case.assessments.filter(decisive=True)) == [appeal.assessment]
    assert case.assessments.count() == 1
    assert outcome_changes == []
    assert [e.object_code for e in events("appeal.rejected")] == [appeal.code]


def test_a_rejection_needs_reasons(client: Client, senior_analyst: Any, appeal: Appeal) -> None:
    client.force_login(senior_analyst)
    response = client.post(f"/cases/appeals/{appeal.code}/", {"decision": "reject"})
    assert b"Say why the appeal is rejected" in response.content
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN


def test_upholding_needs_a_changed_judgement(
    client: Client, senior_analyst: Any, appeal: Appeal
) -> None:
    client.force_login(senior_analyst)
    same = {"decision": "uphold", "outcome": "criminal", **GRADING_B}
    response = client.post(f"/cases/appeals/{appeal.code}/", same)
    assert b"This is the contested judgement" in response.content
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN


def test_an_analyst_may_not_decide(client: Client, make_staff: Any, appeal: Appeal) -> None:
    client.force_login(make_staff("ann", "analyst"))
    assert b"A senior analyst decides" in client.get(f"/cases/appeals/{appeal.code}/").content
    decision = {"decision": "reject", "decision_notes": "No."}
    assert client.post(f"/cases/appeals/{appeal.code}/", decision).status_code == 403
    assert client.get("/cases/appeals/").status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN


def test_the_contested_assessor_cannot_decide_their_own_appeal(
    client: Client, senior_analyst: Any, reported_case: URLCase
) -> None:
    contested = judge(senior_analyst, reported_case, "criminal", **GRADING_B)
    appeal = do_record_appeal(senior_analyst, reported_case, contested, "host", "X", GROUNDS)
    with pytest.raises(PermissionDenied):
        do_decide_appeal(senior_analyst, appeal, False, "Mine was right.")
    client.force_login(senior_analyst)
    page = client.get(f"/cases/appeals/{appeal.code}/")
    assert b"another senior analyst decides" in page.content
    decision = {"decision": "reject", "decision_notes": "Mine was right."}
    assert client.post(f"/cases/appeals/{appeal.code}/", decision).status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN


def test_a_transition_not_in_the_table_is_refused_and_changes_nothing(
    senior_analyst: Any, appeal: Appeal, outcome_changes: list[Any]
) -> None:
    # The case was reported again and went back to the queue before the appeal was decided.
    URLCase.objects.filter(pk=appeal.case_id).update(status=URLCase.Status.NEW)
    appeal.case.status = URLCase.Status.NEW
    with pytest.raises(TransitionNotAllowed):
        do_decide_appeal(senior_analyst, appeal, True, "", Assessment(outcome="not_illegal"))
    fresh = Appeal.objects.get(pk=appeal.pk)
    case = URLCase.objects.get(pk=appeal.case_id)
    assert (fresh.status, fresh.decided_by, case.status) == ("open", None, "new")
    assert list(case.assessments.filter(decisive=True)) == [appeal.assessment]
    assert case.assessments.count() == 1
    assert outcome_changes == []
    assert events("appeal.upheld") == []


def test_the_page_says_when_the_case_changed_meanwhile(
    client: Client, senior_analyst: Any, appeal: Appeal
) -> None:
    URLCase.objects.filter(pk=appeal.case_id).update(status=URLCase.Status.NEW)
    client.force_login(senior_analyst)
    decision = {"decision": "uphold", "outcome": "not_illegal"}
    response = client.post(f"/cases/appeals/{appeal.code}/", decision)
    assert response.status_code == 409
    assert b"nothing was saved" in response.content
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.OPEN


def test_a_decided_appeal_stays_decided(senior_analyst: Any, appeal: Appeal) -> None:
    do_decide_appeal(senior_analyst, appeal, False, "Graded correctly.")
    with pytest.raises(TransitionNotAllowed, match="an appeal that is"):
        do_decide_appeal(senior_analyst, appeal, True, "", Assessment(outcome="not_illegal"))
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.REJECTED


def test_of_two_seniors_deciding_at_once_only_the_first_counts(
    make_staff: Any, senior_analyst: Any, appeal: Appeal, outcome_changes: list[Any]
) -> None:
    stale = Appeal.objects.get(pk=appeal.pk)  # the second senior's page, read before
    do_decide_appeal(senior_analyst, appeal, False, "Graded correctly.")
    with pytest.raises(AppealChangedMeanwhile):
        do_decide_appeal(
            make_staff("sue", "senior analyst"),
            stale,
            True,
            "",
            Assessment(outcome="not_illegal"),
        )
    case = URLCase.objects.get(pk=appeal.case_id)
    assert (case.status, case.assessments.count()) == ("actioned", 1)
    assert Appeal.objects.get(pk=appeal.pk).decided_by == senior_analyst
    assert outcome_changes == []


def test_an_appeal_on_a_judgement_already_replaced_cannot_be_upheld(
    analyst: Any, senior_analyst: Any, appeal: Appeal
) -> None:
    second = do_record_appeal(analyst, appeal.case, appeal.assessment, "member", "Y", GROUNDS)
    grading = {**GRADING_B, "category": "C"}
    do_decide_appeal(senior_analyst, appeal, True, "", Assessment(outcome="criminal", **grading))
    with pytest.raises(AppealChangedMeanwhile):
        do_decide_appeal(senior_analyst, second, True, "", Assessment(outcome="not_illegal"))
    case = URLCase.objects.get(pk=appeal.case_id)
    assert case.status == URLCase.Status.ACTIONED
    assert case.assessments.get(decisive=True).category == "C"
    assert Appeal.objects.get(pk=second.pk).status == Appeal.Status.OPEN


def test_senior_analysts_see_the_open_appeals(
    client: Client, senior_analyst: Any, appeal: Appeal
) -> None:
    client.force_login(senior_analyst)
    response = client.get("/cases/appeals/")
    assert appeal.code.encode() in response.content
    assert response.context["waiting"] == 1
    do_decide_appeal(senior_analyst, appeal, False, "Graded correctly.")
    assert client.get("/cases/appeals/").context["waiting"] == 0


def test_the_appeal_page_shows_the_address_as_text_and_every_judgement(
    client: Client, senior_analyst: Any, appeal: Appeal
) -> None:
    client.force_login(senior_analyst)
    page = client.get(f"/cases/appeals/{appeal.code}/").content.decode()
    url = appeal.case.canonical_url
    assert f'<code class="url" id="case-url">{url}</code>' in page
    assert f'href="{url}' not in page
    assert "<img" not in page
    assert "<iframe" not in page
    assert "Category B" in page
    assert "Save the decision" in page


@pytest.mark.parametrize(
    "path", ["/cases/appeals/", "/cases/appeals/AP-0000-0000/", "/cases/appeals/new/C-0/"]
)
def test_anonymous_visitors_are_sent_to_log_in(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/cases/appeals/AP-0000-0000/", "/cases/appeals/new/C-0000/"])
def test_unknown_codes_are_not_found(client: Client, senior_analyst: Any, path: str) -> None:
    client.force_login(senior_analyst)
    assert client.get(path).status_code == 404


def test_markup_in_the_grounds_is_shown_escaped(
    client: Client, analyst: Any, senior_analyst: Any, actioned_case: URLCase
) -> None:
    contested = actioned_case.assessments.get()
    grounds = '<script>alert("x")</script><a href="http://evil.example/">see</a>'
    appeal = do_record_appeal(analyst, actioned_case, contested, "host", "<b>Host</b>", grounds)
    client.force_login(senior_analyst)
    page = client.get(f"/cases/appeals/{appeal.code}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<a href="http://evil.example/">' not in page
    assert "&lt;b&gt;Host&lt;/b&gt;" in page
