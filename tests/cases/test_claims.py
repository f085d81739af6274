"""Claims: viewing never claims; "next" and an explicit claim do, once; a skip moves on."""

from __future__ import annotations

import pytest
from django.test import Client

from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.reports.actions import do_receive_report

pytestmark = pytest.mark.django_db


def cases(*urls: str) -> list[URLCase]:
    for url in urls:
        do_receive_report("public", [url])
    return [URLCase.objects.get(canonical_url=url) for url in urls]


def claim_events() -> list[tuple[str, str]]:
    events = Event.objects.filter(action="case.claimed").order_by("sequence")
    return list(events.values_list("actor", "object_code"))


@pytest.fixture
def ada(client: Client, analyst) -> Client:
    client.force_login(analyst)
    return client


def test_viewing_a_case_never_claims_it(ada: Client) -> None:
    [case] = cases("http://look.example/")
    page = ada.get(f"/cases/{case.code}/").content.decode()
    case.refresh_from_db()
    assert case.claimed_by is None
    assert claim_events() == []
    assert 'id="claim-form"' in page
    assert "Opening a case does not claim it." in page


def test_next_claims_the_top_case_with_one_audit_event(ada: Client) -> None:
    [case] = cases("http://next.example/")
    page = ada.post("/cases/next/", follow=True).content.decode()
    case.refresh_from_db()
    assert case.claimed_by is not None
    assert case.claimed_by.username == "ada"
    assert claim_events() == [("ada", case.code)]
    assert "You are working on this case" in page
    assert 'id="claim-form"' not in page


def test_an_explicit_claim_takes_the_case_once(ada: Client) -> None:
    [case] = cases("http://mine.example/")
    ada.post(f"/cases/{case.code}/claim/")
    ada.post(f"/cases/{case.code}/claim/")  # again: the claim is renewed, not claimed twice
    case.refresh_from_db()
    assert case.claimed_by is not None
    assert case.claimed_by.username == "ada"
    assert claim_events() == [("ada", case.code)]


def test_a_case_another_analyst_holds_cannot_be_claimed(ada: Client, make_staff) -> None:
    [case] = cases("http://held.example/")
    bea = Client()
    bea.force_login(make_staff("bea", "analyst"))
    bea.post(f"/cases/{case.code}/claim/")
    page = ada.post(f"/cases/{case.code}/claim/", follow=True).content.decode()
    case.refresh_from_db()
    assert case.claimed_by is not None
    assert case.claimed_by.username == "bea"
    assert "This case is not yours to take now" in page
    assert "bea is working on this case." in page
    assert 'id="claim-form"' not in page


def test_a_skipped_case_is_not_handed_back_while_the_claim_idle_time_lasts(
    ada: Client, settings
) -> None:
    first, second = cases("http://first.example/", "http://second.example/")
    assert ada.post("/cases/next/").url == f"/cases/{first.code}/#id_outcome_0"
    assert ada.post(f"/cases/{first.code}/release/", {"then": "next"}).url == (
        f"/cases/{second.code}/#id_outcome_0"
    )
    first.refresh_from_db()
    assert first.claimed_by is None  # given back for others
    skipped_both = ada.post(f"/cases/{second.code}/release/", {"then": "next"}, follow=True)
    assert "Nothing is waiting for you." in skipped_both.content.decode()
    settings.TURNTIDE_CLAIM_IDLE_MINUTES = 0  # the idle time is over: skipped cases come back
    assert ada.post("/cases/next/").url == f"/cases/{first.code}/#id_outcome_0"


def test_only_analysts_may_claim(client: Client, researcher, outsider) -> None:
    [case] = cases("http://guarded.example/")
    for user in (researcher, outsider):
        client.force_login(user)
        assert client.post(f"/cases/{case.code}/claim/").status_code == 404
    assert client.get(f"/cases/{case.code}/claim/").status_code == 405
    case.refresh_from_db()
    assert case.claimed_by is None
