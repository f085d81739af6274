"""Staff pages: the overdue list, a case's takedown history, recording replies and bounces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.takedown.conftest import start_and_send, tracer_for
from turntide.audit.models import Event
from turntide.members.models import Membership, Organisation
from turntide.takedown.models import Notice, NoticeResponse, Provider


@pytest.fixture
def overdue_case(actioned_case, mailoutbox):
    """A home-hosted case noticed two days ago and still up (home escalates after 24 h)."""
    Provider.objects.create(asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example")
    case = actioned_case("http://slow.host.test/album/1")
    started = timezone.now() - timedelta(days=2)
    start_and_send(case, started, tracer=tracer_for("GB"))
    return case


@pytest.fixture
def member_user(make_staff):
    user = make_staff("mo")
    organisation = Organisation.objects.create(name="Example ISP")
    Membership.objects.create(user=user, organisation=organisation)
    return user


@pytest.mark.parametrize("persona", ["analyst", "senior_analyst", "manager"])
def test_the_overdue_list_shows_cases_still_up(client: Client, persona, request, overdue_case):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/takedown/overdue/")
    assert response.status_code == 200
    assert overdue_case.code in response.content.decode()
    assert "slow.host.test" in response.content.decode()


@pytest.mark.parametrize("persona", ["researcher", "outsider", "member_user", "administrator"])
def test_the_overdue_list_is_refused_to_others(client: Client, persona, request, overdue_case):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/takedown/overdue/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/takedown/overdue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_case_page_links_to_the_takedown_history(client: Client, analyst, overdue_case):
    client.force_login(analyst)
    case_page = client.get(f"/cases/{overdue_case.code}/").content.decode()
    assert f'href="/takedown/cases/{overdue_case.code}/"' in case_page
    history = client.get(f"/takedown/cases/{overdue_case.code}/")
    html = history.content.decode()
    assert history.status_code == 200
    assert "slow.host.test" in html  # the trace
    assert "abuse@hosting.example" in html  # the notice
    assert "pending" in html  # the scheduled check


def test_an_outsider_cannot_learn_that_a_case_exists(client: Client, outsider, overdue_case):
    client.force_login(outsider)
    assert client.get(f"/takedown/cases/{overdue_case.code}/").status_code == 404
    notice = Notice.objects.get()
    response = client.post(f"/takedown/notices/{notice.code}/responses", {"kind": "reply"})
    assert response.status_code == 404
    assert not NoticeResponse.objects.exists()


def test_an_analyst_records_a_reply_and_a_bounce(client: Client, analyst, overdue_case):
    client.force_login(analyst)
    notice = Notice.objects.get()
    url = f"/takedown/notices/{notice.code}/responses"
    client.post(url, {"kind": "reply", "note": "Removed, thank you."})
    client.post(url, {"kind": "bounce", "received_at": "2026-03-02T10:00"})
    kinds = list(notice.responses.values_list("kind", "recorded_by__username"))
    assert kinds == [("bounce", "ada"), ("reply", "ada")]  # in the order they arrived
    actions = Event.objects.filter(object_code=overdue_case.code).values_list("action", flat=True)
    assert {"takedown.notice_reply", "takedown.notice_bounce"} <= set(actions)
    page = client.get(f"/takedown/cases/{overdue_case.code}/").content.decode()
    assert "Removed, thank you." in page


def test_a_bad_response_changes_nothing(client: Client, analyst, overdue_case):
    client.force_login(analyst)
    notice = Notice.objects.get()
    response = client.post(
        f"/takedown/notices/{notice.code}/responses", {"kind": "shrug"}, follow=True
    )
    assert "Nothing recorded" in response.content.decode()
    assert not NoticeResponse.objects.exists()
    assert client.get(f"/takedown/notices/{notice.code}/responses").status_code == 405
