"""The analyst workspace: priority, claims, verification, disputes and welfare."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from turntide.cases.actions import NotYours, do_assess, do_claim, do_claim_next
from turntide.cases.models import Assessment, URLCase
from turntide.reports.actions import do_receive_report

CRIMINAL_A = {
    "outcome": "criminal",
    "category": "A",
    "age_group": "7-10",
    "sex": "girls",
    "self_generated": "no",
}


def case_of(url: str) -> URLCase:
    return URLCase.objects.get(canonical_url=url)


def report(url: str, **kwargs) -> URLCase:
    do_receive_report("public" if "channel" not in kwargs else "system", [url], **kwargs)
    return case_of(url)


def judgement(**fields: str) -> Assessment:
    return Assessment(**{**CRIMINAL_A, **fields})


def test_the_queue_puts_danger_then_trusted_sources_then_reports_then_due_time(
    db, settings
) -> None:
    old = report("http://old.example/", received_at=timezone.now() - timedelta(days=2))
    popular = report("http://popular.example/")
    report("http://popular.example/")
    trusted = report("http://trusted.example/", channel="trusted")
    urgent = report("http://urgent.example/", immediate_danger=True)
    from turntide.cases.queue import queue

    assert list(queue()) == [urgent, trusted, popular, old]
    settings.TURNTIDE_QUEUE_ORDER = ["due"]
    assert queue().first() == old


def test_next_case_claims_the_top_case_and_never_one_held_by_another(
    db, analyst, make_staff
) -> None:
    first = report("http://first.example/", immediate_danger=True)
    second = report("http://second.example/")
    other = make_staff("bea", "analyst")
    assert do_claim_next(analyst) == first
    assert do_claim_next(other) == second
    assert do_claim(other, first) is False
    assert do_claim_next(other) == second  # an analyst's own claim is theirs to resume


def test_a_claim_lapses_after_the_idle_time(db, analyst, make_staff, settings) -> None:
    case = report("http://idle.example/")
    other = make_staff("bea", "analyst")
    do_claim(analyst, case)
    URLCase.objects.filter(pk=case.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=settings.TURNTIDE_CLAIM_IDLE_MINUTES + 1)
    )
    assert do_claim(other, case) is True


def test_an_assessment_on_a_case_someone_else_holds_changes_nothing(
    db, analyst, make_staff
) -> None:
    from turntide.cases.actions import CaseChangedMeanwhile

    case = report("http://held.example/")
    do_claim(make_staff("bea", "analyst"), case)
    with pytest.raises(CaseChangedMeanwhile):
        do_assess(analyst, case, judgement())
    assert not Assessment.objects.exists()


def test_category_a_goes_to_a_second_analyst_who_agrees(db, analyst, make_staff, settings) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    case = report("http://graded.example/")
    do_assess(analyst, case, judgement())
    case.refresh_from_db()
    assert case.status == URLCase.Status.VERIFYING
    with pytest.raises(NotYours):
        do_assess(analyst, case, judgement())  # the same analyst cannot verify
    assert do_claim_next(analyst) is None  # and is not offered it
    second = make_staff("bea", "analyst")
    assert do_claim_next(second) == case
    do_assess(second, case, judgement())
    case.refresh_from_db()
    assert case.status == URLCase.Status.ACTIONED
    first, verification = case.assessments.order_by("assessed_at")
    assert (first.decisive, verification.decisive) == (True, False)
    assert verification.kind == Assessment.Kind.VERIFICATION


def test_a_disagreement_goes_to_a_senior_analyst_who_decides(
    db, analyst, senior_analyst, make_staff, settings
) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    case = report("http://disputed.example/")
    do_assess(analyst, case, judgement())
    second = make_staff("bea", "analyst")
    do_assess(second, case, judgement(category="B"))
    case.refresh_from_db()
    assert case.status == URLCase.Status.DISPUTED
    assert do_claim_next(second) is None  # disputes are for seniors
    with pytest.raises(NotYours):
        do_assess(second, case, judgement())
    assert do_claim_next(senior_analyst) == case
    do_assess(senior_analyst, case, judgement(category="B"))
    case.refresh_from_db()
    assert case.status == URLCase.Status.ACTIONED
    decisive = case.assessments.get(decisive=True)
    assert (decisive.kind, decisive.category) == (Assessment.Kind.DECISION, "B")


def test_proactive_not_illegal_and_samples_are_verified(db, analyst, settings) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["proactive-not-illegal"]
    case = report("http://found.example/", channel="proactive")
    do_assess(analyst, case, Assessment(outcome="not_illegal"))
    assert case_of("http://found.example/").status == URLCase.Status.VERIFYING
    settings.TURNTIDE_VERIFICATION_RULES = ["sample:100"]
    sampled = report("http://sampled.example/")
    do_assess(analyst, sampled, Assessment(outcome="unavailable"))
    assert case_of("http://sampled.example/").status == URLCase.Status.VERIFYING


def test_every_view_of_a_case_shows_both_judgements(
    client: Client, db, analyst, make_staff, settings
) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    case = report("http://both.example/")
    do_assess(analyst, case, judgement())
    do_assess(make_staff("bea", "analyst"), case, judgement(category="C"))
    client.force_login(analyst)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "ada" in page
    assert "bea" in page
    assert "First assessment" in page
    assert "verification" in page


def test_the_queue_filters_by_status_source_and_waiting_time(client: Client, analyst) -> None:
    report("http://public.example/", received_at=timezone.now() - timedelta(hours=30))
    report("http://trusted.example/", channel="trusted")
    client.force_login(analyst)
    codes = lambda **query: [c.canonical_url for c in client.get("/cases/", query).context["cases"]]  # noqa: E731
    assert codes(source="trusted") == ["http://trusted.example/"]
    assert codes(waiting="24") == ["http://public.example/"]
    assert codes(status="disputed") == []


def test_duplicate_needs_an_existing_case_and_other_harm_an_agency(client: Client, analyst) -> None:
    original = report("http://original.example/")
    copy = report("http://copy.example/")
    client.force_login(analyst)
    bad = client.post(
        f"/cases/{copy.code}/", {"outcome": "duplicate", "duplicate_of_code": "C-NONE"}
    )
    assert b"existing case" in bad.content
    client.post(
        f"/cases/{copy.code}/", {"outcome": "duplicate", "duplicate_of_code": original.code}
    )
    assert Assessment.objects.get().duplicate_of == original
    harm = report("http://harm.example/")
    response = client.post(f"/cases/{harm.code}/", {"outcome": "other_harm"})
    assert b"Name the agency" in response.content


def test_a_break_is_suggested_and_the_next_claim_waits(client: Client, analyst, settings) -> None:
    settings.TURNTIDE_WELFARE_CATEGORY_A_BREAK = 2
    for n in range(3):
        report(f"http://heavy{n}.example/")
    for n in range(2):
        do_assess(analyst, case_of(f"http://heavy{n}.example/"), judgement())
    client.force_login(analyst)
    queue = client.get("/cases/")
    assert queue.context["today"].category_a == 2
    assert b"Take a break" in queue.content
    response = client.post("/cases/next/", follow=True)
    assert b"Time for a short break" in response.content
    assert URLCase.objects.filter(claimed_by=analyst).count() == 0
    settings.TURNTIDE_WELFARE_PAUSE_MINUTES = 0
    assert client.post("/cases/next/")["Location"].startswith("/cases/C-")


def test_managers_see_team_aggregates_without_names(client: Client, analyst, manager) -> None:
    do_assess(analyst, report("http://one.example/"), judgement())
    client.force_login(manager)
    page = client.get("/cases/welfare/")
    assert page.context["team"].category_a == 1
    assert b"ada" not in page.content


def test_a_senior_who_judged_the_case_cannot_decide_its_dispute(
    db, analyst, senior_analyst, make_staff, settings
) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    case = report("http://own.example/")
    do_assess(analyst, case, judgement())
    do_assess(senior_analyst, case, judgement(category="C"))
    case.refresh_from_db()
    assert case.status == URLCase.Status.DISPUTED
    assert do_claim_next(senior_analyst) is None
    with pytest.raises(NotYours):
        do_assess(senior_analyst, case, judgement(category="C"))
    other_senior = make_staff("sol", "senior analyst")
    do_assess(other_senior, case, judgement(category="C"))
    assert case.assessments.get(decisive=True).analyst == other_senior


def test_an_analyst_saves_and_reuses_a_queue_view(client: Client, analyst, make_staff) -> None:
    client.force_login(analyst)
    client.post("/cases/views/", {"name": "Trusted, NL", "source": "trusted", "country": "NL"})
    client.post("/cases/views/", {"name": "Evil", "status": "new", "injected": "x"})
    views = {view.name: view.query for view in analyst.saved_views.all()}
    assert views == {"Trusted, NL": "source=trusted&country=NL", "Evil": "status=new"}
    assert b'href="?source=trusted&amp;country=NL"' in client.get("/cases/").content
    client.post("/cases/views/", {"name": "Evil", "delete": "1"})
    assert list(analyst.saved_views.values_list("name", flat=True)) == ["Trusted, NL"]
    client.force_login(make_staff("bea", "analyst"))
    assert b"Trusted, NL" not in client.get("/cases/").content  # views are private


def test_a_judgement_verified_after_a_reopening_is_the_only_one_standing(
    db, analyst, make_staff, settings
) -> None:
    case = report("http://reopened.example/")
    do_assess(analyst, case, Assessment(outcome="not_illegal"))
    URLCase.objects.filter(pk=case.pk).update(status_changed_at=timezone.now() - timedelta(days=40))
    report("http://reopened.example/")
    case.refresh_from_db()
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    do_assess(analyst, case, judgement())
    do_assess(make_staff("bea", "analyst"), case, judgement())
    standing = case.assessments.get(decisive=True)
    assert (standing.outcome, standing.category) == ("criminal", "A")


def test_opening_a_case_one_may_not_work_does_not_claim_it(
    client: Client, analyst, senior_analyst, make_staff, settings
) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    case = report("http://notmine.example/")
    do_assess(analyst, case, judgement())
    client.force_login(analyst)
    client.get(f"/cases/{case.code}/")  # the first assessor looks again
    case.refresh_from_db()
    assert case.claimed_by is None
    assert do_claim_next(make_staff("bea", "analyst")) == case


@pytest.mark.parametrize("waiting", ["²", "99999999", "-1", "abc"])
def test_odd_waiting_filters_are_ignored_not_a_crash(client: Client, analyst, waiting) -> None:
    report("http://any.example/")
    client.force_login(analyst)
    assert client.get("/cases/", {"waiting": waiting}).status_code == 200


def test_other_harm_is_referred_to_one_of_the_hotline_s_agencies(client: Client, analyst) -> None:
    from turntide.reports.models import HotlineGuidance, OtherAgency

    guidance = HotlineGuidance.objects.create()
    OtherAgency.objects.create(
        guidance=guidance, topic="Terrorism", name="Example Agency", url="https://agency.example/"
    )
    case = report("http://harmful.example/")
    client.force_login(analyst)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert '<option value="Example Agency">Example Agency</option>' in page
    client.post(f"/cases/{case.code}/", {"outcome": "other_harm", "referred_to": "Example Agency"})
    assert Assessment.objects.get().referred_to == "Example Agency"
