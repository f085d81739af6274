"""The removal workbench at /takedown/: who may use it, stages and counts, and each action the
team takes on a case (audited under the staff member)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.takedown.conftest import tracer_for
from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.members.models import Membership, Organisation
from turntide.takedown.actions import do_start_takedown
from turntide.takedown.models import Mail, Notice, PartnerHotline, Provider, Recheck, Takedown
from turntide.takedown.notices import compose_due
from turntide.takedown.outbox import dispatch
from turntide.takedown.workbench import Stage, bench


@pytest.fixture
def member_user(make_staff):
    user = make_staff("mo")
    Membership.objects.create(user=user, organisation=Organisation.objects.create(name="ISP"))
    return user


def started(actioned_case, url: str, asn: int = 64500, send: bool = True) -> URLCase:
    """A case whose removal started an hour ago, its notice sent when `send`."""
    case = actioned_case(url)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    do_start_takedown(case, an_hour_ago, tracer=tracer_for("GB", asn=asn))
    if send:
        dispatch(an_hour_ago)
    return case


@pytest.fixture
def bench_cases(actioned_case, mailoutbox):
    Provider.objects.create(asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example")
    return {
        "waiting": started(actioned_case, "http://sent.host.test/1"),
        "needs_contact": started(actioned_case, "http://nobody.host.test/2", asn=64999),
        "in_outbox": started(actioned_case, "http://queued.host.test/3", send=False),
        "not_started": actioned_case("http://not-started.host.test/4"),
    }


def stage_of(case: URLCase) -> str:
    [row] = [row for row in bench(timezone.now()).rows if row.case.pk == case.pk]
    return row.stage


def act(client: Client, case: URLCase, action: str, **data: str):
    return client.post(f"/takedown/cases/{case.code}/do/{action}", data, follow=True)


@pytest.mark.parametrize("persona", ["analyst", "senior_analyst", "manager"])
def test_the_removal_team_sees_every_case_awaiting_removal_with_its_stage(
    client: Client, persona, request, bench_cases
) -> None:
    client.force_login(request.getfixturevalue(persona))
    page = client.get("/takedown/")
    assert page.status_code == 200
    html = page.content.decode()
    for case in bench_cases.values():
        assert case.code in html
    assert "Needs a contact" in html
    assert "abuse@hosting.example" in html  # the contact of the sent notice


@pytest.mark.parametrize("persona", ["researcher", "outsider", "member_user", "administrator"])
def test_the_workbench_is_refused_to_others(client: Client, persona, request, bench_cases):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/takedown/").status_code == 403


def test_an_outsider_can_neither_act_nor_learn_that_a_case_exists(
    client: Client, outsider, bench_cases
) -> None:
    client.force_login(outsider)
    case = bench_cases["waiting"]
    assert client.post(f"/takedown/cases/{case.code}/do/check").status_code == 404
    assert client.post(f"/takedown/cases/{case.code}/start").status_code == 404
    assert not Event.objects.filter(action="takedown.check_requested").exists()


def test_stages_are_counted_and_filtered(client: Client, analyst, bench_cases) -> None:
    found = bench(timezone.now())
    assert found.counts[Stage.WAITING] == 1
    assert found.counts[Stage.NEEDS_CONTACT] == 1
    assert found.counts[Stage.IN_OUTBOX] == 1
    assert found.counts[Stage.NOT_STARTED] == 1
    assert found.total == 4
    client.force_login(analyst)
    html = client.get("/takedown/?stage=needs_contact").content.decode()
    assert bench_cases["needs_contact"].code in html
    assert bench_cases["waiting"].code not in html
    html = client.get("/takedown/?q=sent.host").content.decode()
    assert bench_cases["waiting"].code in html
    assert bench_cases["in_outbox"].code not in html


def test_a_typed_contact_is_saved_and_the_notice_sent_to_it(
    client: Client, analyst, bench_cases, mailoutbox
) -> None:
    client.force_login(analyst)
    case = bench_cases["needs_contact"]
    response = act(client, case, "contact", email="abuse@found.example", send="on")
    assert "the notice is in the outbox" in response.content.decode()
    assert Provider.objects.get(asn=64999).abuse_email == "abuse@found.example"
    assert stage_of(case) == Stage.IN_OUTBOX
    dispatch(timezone.now())  # no hold for a notice staff send (the queued case's goes too)
    assert ["abuse@found.example"] in [message.to for message in mailoutbox]
    assert stage_of(case) == Stage.WAITING
    actions = set(Event.objects.filter(object_code=case.code).values_list("action", "actor"))
    assert {("takedown.contact_set", "ada"), ("takedown.notice_resent", "ada")} <= actions


def test_a_bad_contact_or_a_second_send_changes_nothing(
    client: Client, analyst, bench_cases
) -> None:
    client.force_login(analyst)
    case = bench_cases["needs_contact"]
    response = act(client, case, "contact", email="not an address")
    assert "Nothing done" in response.content.decode()
    assert Provider.objects.get(asn=64500).abuse_email == "abuse@hosting.example"
    queued = bench_cases["in_outbox"]
    response = act(client, queued, "send")
    assert "already in the outbox" in response.content.decode()
    assert Notice.objects.filter(takedown__case=queued).count() == 1
    assert client.post(f"/takedown/cases/{case.code}/do/shrug").status_code == 404
    assert client.get(f"/takedown/cases/{case.code}/do/send").status_code == 405


def test_check_now_brings_the_next_check_forward_and_wakes_the_worker(
    client: Client, analyst, bench_cases, django_capture_on_commit_callbacks
) -> None:
    client.force_login(analyst)
    case = bench_cases["waiting"]
    with django_capture_on_commit_callbacks(execute=True):
        act(client, case, "check")
    [pending] = Recheck.objects.filter(takedown__case=case, checked_at=None)
    assert pending.due_at <= timezone.now()
    tasks = DBTaskResult.objects.values_list("task_path", flat=True)
    assert "turntide.takedown.tasks.run_rechecks" in tasks


def test_checked_by_hand_counts_as_a_check_and_twice_gone_is_removed(
    client: Client, analyst, bench_cases
) -> None:
    client.force_login(analyst)
    case = bench_cases["waiting"]
    act(client, case, "manual-check", result="gone")
    assert stage_of(case) == Stage.CONFIRMING
    assert Recheck.objects.filter(takedown__case=case, checked_at=None).count() == 1
    act(client, case, "manual-check", result="gone")
    case.refresh_from_db()
    assert case.status == URLCase.Status.REMOVED
    assert Takedown.objects.get(case=case).closed_at is not None
    checks = Recheck.objects.filter(takedown__case=case).exclude(checked_at=None)
    assert {check.detail for check in checks} == {"checked by hand by ada"}


def test_a_recorded_reply_asks_for_a_check_and_confirming_stops_the_clock(
    client: Client, analyst, bench_cases
) -> None:
    client.force_login(analyst)
    case = bench_cases["waiting"]
    notice = Notice.objects.get(takedown__case=case)
    client.post(f"/takedown/notices/{notice.code}/responses", {"kind": "reply", "note": "Gone."})
    assert stage_of(case) == Stage.REPLY
    act(client, case, "confirm", removed_at="2030-01-01T10:00")
    case.refresh_from_db()
    assert case.status == URLCase.Status.REMOVED
    assert case.removed_at is not None
    assert Event.objects.filter(action="takedown.removal_confirmed", actor="ada").exists()
    assert act(client, case, "check").status_code == 404  # no removal runs any more


def test_a_case_is_referred_to_the_partner_hotline(client: Client, analyst, bench_cases):
    PartnerHotline.objects.create(country="NL", name="Partner NL", email="ref@partner.example")
    client.force_login(analyst)
    case = bench_cases["needs_contact"]
    act(client, case, "refer", partner="NL")
    takedown = Takedown.objects.get(case=case)
    assert (takedown.route, takedown.partner.country) == (Takedown.Route.PARTNER, "NL")
    assert Notice.objects.filter(
        takedown=takedown, recipient="ref@partner.example", status=Notice.Status.QUEUED
    ).exists()


def test_escalating_by_hand_takes_the_next_step(client: Client, analyst, bench_cases):
    client.force_login(analyst)
    case = bench_cases["waiting"]
    act(client, case, "escalate")
    assert Takedown.objects.get(case=case).escalation_step == 1
    assert Notice.objects.filter(takedown__case=case, escalation_step=1).exists()
    assert stage_of(case) == Stage.IN_OUTBOX


def test_police_first_tells_the_police_and_the_host_only_after_release(
    client: Client, analyst, actioned_case, settings, mailoutbox
) -> None:
    settings.TURNTIDE_POLICE_EMAIL = "cse-unit@police.example"
    Provider.objects.create(asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example")
    case = started(actioned_case, "http://held.host.test/1", send=False)
    client.force_login(analyst)
    act(client, case, "police-hold")
    assert stage_of(case) == Stage.POLICE_HOLD
    dispatch(timezone.now())
    assert [message.to for message in mailoutbox] == [["cse-unit@police.example"]]
    act(client, case, "police-release")
    dispatch(timezone.now())
    assert mailoutbox[-1].to == ["abuse@hosting.example"]
    actions = set(Event.objects.filter(object_code=case.code).values_list("action", flat=True))
    assert {"takedown.police_hold", "takedown.police_released"} <= actions


def test_the_police_hold_lapses_by_itself(actioned_case, settings, analyst) -> None:
    from turntide.takedown.team_actions import do_hold_for_police

    settings.TURNTIDE_POLICE_HOLD_HOURS = 48
    Provider.objects.create(asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example")
    case = started(actioned_case, "http://held.host.test/1", send=False)
    now = timezone.now()
    do_hold_for_police(analyst, Takedown.objects.get(case=case), now)
    compose_due(now + timedelta(hours=47))
    assert not Notice.objects.filter(recipient="abuse@hosting.example").exclude(mail=None)
    compose_due(now + timedelta(hours=49))
    assert Notice.objects.filter(recipient="abuse@hosting.example").exclude(mail=None).exists()


def test_a_case_not_started_is_started_from_the_workbench(
    client: Client, analyst, bench_cases, django_capture_on_commit_callbacks
) -> None:
    client.force_login(analyst)
    case = bench_cases["not_started"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/takedown/cases/{case.code}/start", {"next": "/takedown/"})
    queued = DBTaskResult.objects.filter(task_path="turntide.takedown.tasks.start_takedown")
    assert [row.args_kwargs["args"] for row in queued] == [[case.pk]]
    assert Event.objects.filter(action="takedown.start_requested", object_code=case.code).exists()


def test_a_failed_send_is_listed_and_retried_from_the_workbench(
    client: Client, manager, actioned_case, settings
) -> None:
    Provider.objects.create(asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example")
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # discard: refused
        }
    }
    case = started(actioned_case, "http://refused.host.test/1")
    mail = Mail.objects.get()
    client.force_login(manager)
    html = client.get("/takedown/").content.decode()
    assert f'id="mail-{mail.code}"' in html
    assert "ConnectionRefusedError" in html
    assert stage_of(case) == Stage.SEND_FAILED
    client.post(f"/takedown/mails/{mail.code}/retry")
    assert Mail.objects.get().status == Mail.Status.PENDING
    assert stage_of(case) == Stage.IN_OUTBOX


def test_a_confirmed_contact_unblocks_every_case_of_its_network_in_one_notice(
    client: Client, analyst, actioned_case, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    first = started(actioned_case, "http://one.host.test/1", asn=64999)
    second = started(actioned_case, "http://two.host.test/2", asn=64999)
    Provider.objects.filter(asn=64999).delete()
    Provider.objects.create(asn=64999, name="Found", suggested_email="abuse@found.example")
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, first, "contact", email="abuse@found.example", send="on")
    assert "the notices of 2 cases waiting for it are in the outbox" in response.content.decode()
    tasks = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "turntide.takedown.tasks.send_notices" in tasks  # it goes now, not at the next round
    dispatch(timezone.now())
    [grouped] = mailoutbox
    assert grouped.to == ["abuse@found.example"]
    assert len(grouped.attachments) == 2  # an X-ARF report per URL
    assert {stage_of(first), stage_of(second)} == {Stage.WAITING}


def test_the_team_asks_the_worker_to_read_the_mailbox_now(
    client: Client, analyst, settings, django_capture_on_commit_callbacks, db
) -> None:
    settings.TURNTIDE_IMAP_HOST = "127.0.0.1"
    client.force_login(analyst)
    assert "Read the abuse mailbox now" in client.get("/takedown/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/takedown/mailbox/read")
    tasks = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert tasks == ["turntide.takedown.tasks.read_replies"]
    assert Event.objects.filter(action="takedown.mailbox_read_requested", actor="ada").exists()


@pytest.mark.parametrize("persona", ["researcher", "member_user", "administrator"])
def test_the_teams_actions_are_refused_to_other_roles(
    client: Client, persona, request, bench_cases, db
) -> None:
    client.force_login(request.getfixturevalue(persona))
    case = bench_cases["waiting"]
    assert client.post(f"/takedown/cases/{case.code}/do/check").status_code == 404
    assert client.post("/takedown/mailbox/read").status_code == 403
    assert client.post("/takedown/mails/M-NONE-NONE/retry").status_code == 403
    assert not Event.objects.filter(action__startswith="takedown.check").exists()
