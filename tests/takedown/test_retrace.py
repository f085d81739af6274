"""Hosting that moves: open takedowns are traced again every TURNTIDE_RETRACE_HOURS and before
a notice goes; a move flags the case, re-routes it and is on its timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.takedown.conftest import T0, start_and_send, tracer_for
from turntide.audit.models import Event
from turntide.schedule.registry import REGISTRY
from turntide.takedown.actions import do_start_takedown
from turntide.takedown.models import HostingTrace, Notice, PartnerHotline, Provider, Takedown
from turntide.takedown.outbox import dispatch
from turntide.takedown.retrace import retrace_before_notices, retrace_due
from turntide.takedown.workbench import Stage, open_takedowns, stage_of

HOUR = timedelta(hours=1)
URL = "http://images.host.test/1"


@pytest.fixture
def directory(db: None) -> None:
    Provider.objects.create(asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example")
    Provider.objects.create(asn=64501, name="New Hosting", abuse_email="abuse@new-host.example")
    PartnerHotline.objects.create(country="NL", name="Partner NL", email="ref@partner.example")


def test_hosting_is_traced_again_every_twelve_hours(actioned_case, directory, mailoutbox):
    start_and_send(actioned_case(URL), T0, tracer=tracer_for("GB"))
    assert retrace_due(T0 + 11 * HOUR, tracer=tracer_for("GB")) == 0
    assert HostingTrace.objects.count() == 1
    assert retrace_due(T0 + 12 * HOUR, tracer=tracer_for("GB")) == 0  # traced, not moved
    assert retrace_due(T0 + 12 * HOUR, tracer=tracer_for("GB")) == 0  # once per due time
    reasons = list(HostingTrace.objects.values_list("reason", flat=True))
    assert reasons == ["actioned", "retrace"]
    assert Takedown.objects.get().retrace_at == T0 + 24 * HOUR
    assert "turntide.takedown.tasks.retrace_hosting" in REGISTRY


def test_a_host_that_moves_abroad_is_flagged_rerouted_and_noticed_anew(
    client: Client, analyst, actioned_case, directory, mailoutbox
) -> None:
    case = actioned_case(URL)
    start_and_send(case, T0, tracer=tracer_for("GB"))
    assert retrace_due(T0 + 12 * HOUR, tracer=tracer_for("NL", asn=64501)) == 1
    takedown = Takedown.objects.get()
    assert (takedown.route, takedown.partner.country) == (Takedown.Route.PARTNER, "NL")
    assert takedown.hosting_moved_at == T0 + 12 * HOUR
    assert takedown.trace.country == "NL"
    [row] = [t for t in open_takedowns() if t.pk == takedown.pk]
    assert stage_of(row, T0 + 12 * HOUR) == Stage.MOVED
    dispatch(T0 + 12 * HOUR)
    assert [m.to[0] for m in mailoutbox] == ["abuse@hosting.example", "ref@partner.example"]
    event = Event.objects.get(action="takedown.hosting_moved", object_code=case.code)
    assert event.details["from"]["country"] == "GB"
    assert event.details["to"]["country"] == "NL"
    client.force_login(analyst)
    page = client.get(f"/takedown/cases/{case.code}/").content.decode()
    assert 'id="moved-at"' in page
    assert "Traced again" in page


def test_a_notice_about_to_go_on_an_old_trace_follows_the_move(
    actioned_case, directory, mailoutbox, settings
) -> None:
    settings.TURNTIDE_NOTICE_HOLD_MINUTES = {"first": 180}
    do_start_takedown(actioned_case(URL), T0, tracer=tracer_for("GB"))
    moved = retrace_before_notices(T0 + 3 * HOUR, tracer=tracer_for("GB", asn=64501))
    assert moved == 1
    dispatch(T0 + 3 * HOUR)
    assert [m.to[0] for m in mailoutbox] == ["abuse@new-host.example"]
    statuses = dict(Notice.objects.values_list("recipient", "status"))
    assert statuses == {
        "abuse@hosting.example": Notice.Status.CANCELLED,
        "abuse@new-host.example": Notice.Status.SENT,
    }


def test_a_fresh_trace_is_not_taken_again_before_a_notice(actioned_case, directory) -> None:
    do_start_takedown(actioned_case(URL), T0, tracer=tracer_for("GB"))

    def no_dns(host):
        raise AssertionError("traced again although the trace is fresh")

    assert retrace_before_notices(T0 + HOUR / 2, tracer=no_dns) == 0


def test_a_closed_takedown_is_not_traced_again(actioned_case, directory, mailoutbox) -> None:
    from turntide.cases.removal import confirm_removal

    case = actioned_case(URL)
    start_and_send(case, T0, tracer=tracer_for("GB"))
    confirm_removal(case, T0 + HOUR)
    assert retrace_due(T0 + 13 * HOUR, tracer=tracer_for("NL")) == 0
    assert HostingTrace.objects.count() == 1


def test_a_name_that_no_longer_resolves_has_not_moved(actioned_case, directory, mailoutbox) -> None:
    from dataclasses import replace

    from tests.takedown.conftest import hosting

    start_and_send(actioned_case(URL), T0, tracer=tracer_for("GB"))

    def unresolvable(host):
        return replace(hosting(host, "", asn=None), addresses=[])

    assert retrace_due(T0 + 12 * HOUR, tracer=unresolvable) == 0
    takedown = Takedown.objects.get()
    assert (takedown.route, takedown.hosting_moved_at) == (Takedown.Route.HOME, None)
    assert HostingTrace.objects.count() == 2  # still on the timeline
