"""Escalation of content still up: re-notice, upstream or registrar, police; the overdue list."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail

from tests.takedown.conftest import T0, start_and_send, tracer_for
from turntide.cases.removal import confirm_removal
from turntide.takedown.escalation import escalate_due, overdue
from turntide.takedown.models import Notice, PartnerHotline, Provider, Takedown
from turntide.takedown.outbox import dispatch

HOUR = timedelta(hours=1)


@pytest.fixture
def escalation_settings(settings, mailoutbox) -> None:
    settings.TURNTIDE_ESCALATE_AFTER_HOURS = {"home": 24, "partner": 72, "abroad": 72}
    settings.TURNTIDE_POLICE_EMAIL = "cse-unit@police.example"
    settings.TURNTIDE_POLICE_NOTIFY = "never"
    Provider.objects.create(
        asn=64500,
        name="Example Hosting",
        abuse_email="abuse@hosting.example",
        upstream_email="abuse@transit.example",
    )
    PartnerHotline.objects.create(country="NL", name="Partner NL", email="ref@partner.example")


def recipients() -> list[str]:
    return [message.to[0] for message in mail.outbox]


def escalate(at):
    """One run of the escalation job, then of the outbox; how many takedowns took a step."""
    taken = escalate_due(at)
    dispatch(at)
    return taken


def test_a_home_case_escalates_a_step_a_day_until_the_police(
    actioned_case, escalation_settings
) -> None:
    takedown = start_and_send(actioned_case("http://a.host.test/1"), T0, tracer=tracer_for("GB"))
    assert takedown is not None
    assert takedown.escalate_at == T0 + 24 * HOUR
    assert escalate(T0 + 23 * HOUR) == 0
    assert escalate(T0 + 24 * HOUR) == 1
    assert escalate(T0 + 24 * HOUR) == 0  # a step is taken once
    assert escalate(T0 + 48 * HOUR) == 1
    assert escalate(T0 + 72 * HOUR) == 1
    assert escalate(T0 + 500 * HOUR) == 0  # nothing after the police
    assert recipients() == [
        "abuse@hosting.example",
        "abuse@hosting.example",
        "abuse@transit.example",
        "cse-unit@police.example",
    ]
    steps = list(Notice.objects.values_list("escalation_step", "recipient_type"))
    assert steps == [(0, "host"), (1, "host"), (2, "upstream"), (3, "police")]
    assert mail.outbox[1].subject.startswith("Reminder: ")


def test_a_referral_waits_longer_and_its_reminder_goes_to_the_partner(
    actioned_case, escalation_settings
) -> None:
    start_and_send(actioned_case("http://a.host.test/1"), T0, tracer=tracer_for("NL"))
    assert escalate(T0 + 71 * HOUR) == 0
    assert escalate(T0 + 72 * HOUR) == 1
    assert recipients() == ["ref@partner.example", "ref@partner.example"]


def test_a_route_without_a_time_does_not_escalate(actioned_case, escalation_settings) -> None:
    tracer = tracer_for("US", cdn="Cloudflare")
    takedown = start_and_send(actioned_case("http://a.host.test/1"), T0, tracer=tracer)
    assert takedown is not None
    assert takedown.escalate_at is None
    assert escalate(T0 + 1000 * HOUR) == 0


def test_removed_content_is_neither_escalated_nor_overdue(
    actioned_case, escalation_settings
) -> None:
    case = actioned_case("http://a.host.test/1")
    start_and_send(case, T0, tracer=tracer_for("GB"))
    confirm_removal(case, T0 + 2 * HOUR)
    assert escalate(T0 + 30 * HOUR) == 0
    assert list(overdue(T0 + 30 * HOUR)) == []


def test_overdue_lists_cases_up_longer_than_their_route_allows(
    actioned_case, escalation_settings
) -> None:
    home = start_and_send(actioned_case("http://a.host.test/1"), T0, tracer=tracer_for("GB"))
    partner = start_and_send(actioned_case("http://b.host.test/2"), T0, tracer=tracer_for("NL"))
    assert list(overdue(T0 + 23 * HOUR)) == []
    assert list(overdue(T0 + 24 * HOUR)) == [home]
    assert list(overdue(T0 + 72 * HOUR)) == [home, partner]


def test_a_takedown_whose_step_raises_does_not_stop_the_others(
    actioned_case, escalation_settings, caplog
) -> None:
    Provider.objects.create(asn=64501, name="Broken Hosting")  # no address: the lookup asks
    broken = start_and_send(
        actioned_case("http://a.host.test/1"), T0, tracer=tracer_for("GB", asn=64501)
    )
    fine = start_and_send(actioned_case("http://b.host.test/2"), T0, tracer=tracer_for("GB"))
    assert broken is not None
    assert fine is not None

    def lookup(trace):
        raise RuntimeError("the RDAP client crashed")

    with caplog.at_level(logging.ERROR, logger="turntide.takedown.escalation"):
        assert escalate_due(T0 + 24 * HOUR, lookup=lookup) == 1
    steps = dict(Takedown.objects.values_list("pk", "escalation_step"))
    assert steps == {broken.pk: 0, fine.pk: 1}  # the broken step is rolled back, not lost
    assert f"escalation of case {broken.case.code} failed" in caplog.text
    assert escalate_due(T0 + 24 * HOUR, lookup=lambda trace: "abuse@rir.example") == 1
    assert Takedown.objects.get(pk=broken.pk).escalation_step == 1  # taken on the next run
