"""The outbox: notices leave after commit, grouped per address after their hold time, each URL
with its X-ARF report; a sender that dies loses nothing; failed sends wait for a retry."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection, transaction

from tests.helpers import run_at_once
from tests.takedown.conftest import T0, tracer_for
from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.takedown.actions import do_retry_mail, do_start_takedown
from turntide.takedown.models import Mail, Notice, Provider
from turntide.takedown.notices import compose_due
from turntide.takedown.outbox import CLAIM_LEASE, claim_mail, dispatch, send_email

MINUTE = timedelta(minutes=1)


class Crash(BaseException):
    """The sender's process dying: nothing after it runs, no handler catches it."""


@pytest.fixture
def host(db: None) -> Provider:
    return Provider.objects.create(
        asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example"
    )


def test_a_rolled_back_decision_sends_nothing(actioned_case, host, smtp_inbox) -> None:
    case = actioned_case("http://images.host.test/1")

    def decide_then_fail() -> None:
        with transaction.atomic():
            do_start_takedown(case, T0, tracer=tracer_for("GB"))
            raise RuntimeError("the transaction fails after the takedown was decided")

    with pytest.raises(RuntimeError):
        decide_then_fail()
    dispatch(T0)
    assert smtp_inbox == []
    assert not Notice.objects.exists()


def test_nothing_leaves_until_the_outbox_runs(actioned_case, host, smtp_inbox) -> None:
    case = actioned_case("http://images.host.test/1")
    do_start_takedown(case, T0, tracer=tracer_for("GB"))
    assert smtp_inbox == []
    assert Notice.objects.get().status == Notice.Status.QUEUED
    assert dispatch(T0) == 1
    [message] = smtp_inbox
    notice = Notice.objects.get()
    assert (notice.status, notice.sent_at, notice.message_id) == (
        Notice.Status.SENT,
        T0,
        message["Message-ID"],
    )
    assert URLCase.objects.get(pk=case.pk).actioned_at == T0  # the clock starts on sending
    assert Mail.objects.get().body == ""  # only the fingerprint stays once sent


def test_a_sender_killed_after_sending_loses_nothing_and_resends_the_same_message(
    actioned_case, host, smtp_inbox
) -> None:
    case = actioned_case("http://images.host.test/1")
    do_start_takedown(case, T0, tracer=tracer_for("GB"))

    def send_then_die(message):
        send_email(message)
        raise Crash

    with pytest.raises(Crash):
        dispatch(T0, send_then_die)
    assert len(smtp_inbox) == 1
    assert Mail.objects.get().status == Mail.Status.SENDING  # claimed, never recorded
    assert URLCase.objects.get(pk=case.pk).actioned_at is None

    assert dispatch(T0 + CLAIM_LEASE - MINUTE) == 0  # the dead sender's claim still holds
    assert dispatch(T0 + CLAIM_LEASE + MINUTE) == 1  # then another sender takes it over
    assert dispatch(T0 + 2 * CLAIM_LEASE) == 0  # and it is never sent again
    assert len(smtp_inbox) == 2
    assert {message["Message-ID"] for message in smtp_inbox} == {Mail.objects.get().message_id}
    mail = Mail.objects.get()
    assert (mail.status, mail.attempts) == (Mail.Status.SENT, 2)
    assert Notice.objects.get().status == Notice.Status.SENT
    assert URLCase.objects.get(pk=case.pk).actioned_at == T0 + CLAIM_LEASE + MINUTE


def test_a_sender_killed_before_sending_sends_once_after_the_lease(
    actioned_case, host, smtp_inbox
) -> None:
    do_start_takedown(actioned_case("http://images.host.test/1"), T0, tracer=tracer_for("GB"))

    def die(message):
        raise Crash

    with pytest.raises(Crash):
        dispatch(T0, die)
    dispatch(T0 + CLAIM_LEASE + MINUTE)
    dispatch(T0 + 2 * CLAIM_LEASE + MINUTE)
    assert len(smtp_inbox) == 1


def test_two_senders_never_claim_one_mail(actioned_case, host, mailoutbox) -> None:
    do_start_takedown(actioned_case("http://images.host.test/1"), T0, tracer=tracer_for("GB"))
    assert compose_due(T0) == 1
    assert claim_mail(T0) is not None
    assert claim_mail(T0) is None


def test_a_refused_send_is_listed_with_its_reason_and_a_retry_sends_the_same_message(
    actioned_case, host, settings, smtp_inbox, manager
) -> None:
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # discard: refused
        }
    }
    case = actioned_case("http://images.host.test/1")
    do_start_takedown(case, T0, tracer=tracer_for("GB"))
    assert dispatch(T0) == 0
    mail = Mail.objects.get()
    assert mail.status == Mail.Status.FAILED
    assert mail.last_error.startswith("ConnectionRefusedError")
    assert Notice.objects.get().status == Notice.Status.FAILED
    assert dispatch(T0 + CLAIM_LEASE * 3) == 0  # a failed mail waits for staff
    settings.MAILERS = working
    assert do_retry_mail(manager, mail) is True
    assert do_retry_mail(manager, mail) is False  # once
    assert dispatch(T0 + CLAIM_LEASE * 3) == 1
    [message] = smtp_inbox
    assert message["Message-ID"] == mail.message_id
    assert Notice.objects.get().status == Notice.Status.SENT
    assert Event.objects.filter(action="takedown.mail_retried", object_code=mail.code).exists()


def test_notices_to_one_contact_are_grouped_after_the_hold_time(
    actioned_case, host, smtp_inbox, settings
) -> None:
    settings.TURNTIDE_NOTICE_HOLD_MINUTES = {"first": 60}
    first = actioned_case("http://images.host.test/1")
    second = actioned_case("http://files.host.test/2")
    elsewhere = actioned_case("http://other.host.test/3")
    Provider.objects.create(asn=64501, name="Other Hosting", abuse_email="abuse@other.example")
    do_start_takedown(first, T0, tracer=tracer_for("GB"))
    do_start_takedown(second, T0 + 30 * MINUTE, tracer=tracer_for("GB"))
    do_start_takedown(elsewhere, T0 + 30 * MINUTE, tracer=tracer_for("GB", asn=64501))
    assert dispatch(T0 + 59 * MINUTE) == 0
    assert dispatch(T0 + 60 * MINUTE) == 1  # the first's hold has passed: its contact's group
    [grouped] = smtp_inbox
    assert grouped["To"] == "abuse@hosting.example"
    assert "(2 addresses)" in grouped["Subject"]
    text = grouped.get_body(preferencelist=("plain",)).get_content()
    assert first.canonical_url in text
    assert second.canonical_url in text
    reports = [
        json.loads(part.get_content())
        for part in grouped.iter_attachments()
        if part.get_content_type() == "application/json"
    ]
    assert sorted(report["url"] for report in reports) == [
        second.canonical_url,
        first.canonical_url,
    ]
    assert dispatch(T0 + 90 * MINUTE) == 1  # the other contact's own hold
    assert smtp_inbox[1]["To"] == "abuse@other.example"
    assert len(set(Notice.objects.values_list("message_id", flat=True))) == 2


def test_each_url_carries_an_x_arf_v4_csam_report(actioned_case, host, smtp_inbox) -> None:
    case = actioned_case("http://images.host.test/1")
    do_start_takedown(case, T0, tracer=tracer_for("GB"))
    dispatch(T0)
    [part] = list(smtp_inbox[0].iter_attachments())
    assert part.get_filename() == f"xarf-{case.code}.json"
    report = json.loads(part.get_content())
    required = {"xarf_version", "report_id", "timestamp", "reporter", "sender"}
    required |= {"source_identifier", "category", "type", "classification", "detection_method"}
    assert required <= set(report)
    assert (report["xarf_version"], report["category"], report["type"]) == (
        "4.0.0",
        "content",
        "csam",
    )
    assert report["url"] == case.canonical_url
    assert report["source_identifier"] == "192.0.2.10"
    assert report["classification"] in {"baseline", "A1", "A2", "B1", "B2"}
    assert set(report["reporter"]) == {"org", "contact", "domain"}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
)
@pytest.mark.django_db(transaction=True)
def test_senders_and_composers_running_at_once_send_each_notice_once(
    seeded_schemes: None, actioned_case, mailoutbox
) -> None:
    for asn in (64500, 64501, 64502):
        Provider.objects.create(asn=asn, name=f"AS{asn}", abuse_email=f"abuse@as{asn}.example")
        for number in range(2):
            case = actioned_case(f"http://as{asn}-{number}.host.test/")
            do_start_takedown(case, T0, tracer=tracer_for("GB", asn=asn))

    assert run_at_once(lambda number: dispatch(T0)) == []
    assert sorted(message.to[0] for message in mailoutbox) == [
        "abuse@as64500.example",
        "abuse@as64501.example",
        "abuse@as64502.example",
    ]
    assert Mail.objects.count() == 3
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}
