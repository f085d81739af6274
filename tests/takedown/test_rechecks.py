"""Re-checks against a loopback site whose page disappears at a scripted time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from tests.helpers import THREADS, run_at_once
from tests.takedown.conftest import T0, ScriptedSite, start_and_send, tracer_for
from turntide.cases.models import URLCase
from turntide.takedown.checker import CheckResult, InvalidTarget
from turntide.takedown.models import HostingTrace, Recheck, Takedown
from turntide.takedown.rechecks import CLAIM_LEASE, claim_next, run_due_checks

HOUR = timedelta(hours=1)


@pytest.fixture
def watched(actioned_case, site: ScriptedSite, settings, mailoutbox):
    """An actioned case on the loopback site, noticed at T0 (first check at T0 + 4 h)."""
    settings.TURNTIDE_RECHECK_FIRST_HOURS = 4
    settings.TURNTIDE_RECHECK_EVERY_HOURS = 24
    site.gone_at["/gallery/1.html"] = None
    case = actioned_case(site.url("/gallery/1.html"))
    from turntide.takedown.models import Provider

    Provider.objects.create(asn=64500, name="Loopback Hosting", abuse_email="abuse@loop.example")
    takedown = start_and_send(case, T0, tracer=tracer_for("GB"))
    assert takedown is not None
    return takedown


def run_at(site: ScriptedSite, when, checker) -> int:
    site.now = when
    return run_due_checks(when, checker=checker, tracer=tracer_for("NL"))


def test_removal_is_found_within_one_interval_and_timed_from_the_first_notice(
    watched: Takedown, site: ScriptedSite, loopback_checker
) -> None:
    site.gone_at["/gallery/1.html"] = T0 + 30 * HOUR
    assert run_at(site, T0 + 3 * HOUR, loopback_checker) == 0  # nothing due yet
    for hours in (4, 28):
        assert run_at(site, T0 + hours * HOUR, loopback_checker) == 1
    assert run_at(site, T0 + 52 * HOUR, loopback_checker) == 1  # first offline: 22 h after
    case = URLCase.objects.get(pk=watched.case_id)
    assert case.status == URLCase.Status.ACTIONED  # one offline check does not confirm
    assert run_at(site, T0 + 76 * HOUR, loopback_checker) == 1
    case.refresh_from_db()
    assert case.status == URLCase.Status.REMOVED
    assert case.actioned_at == T0
    assert case.removed_at == T0 + 52 * HOUR
    assert case.removed_at - (T0 + 30 * HOUR) <= 24 * HOUR  # within one check interval
    states = list(Recheck.objects.values_list("state", "http_status"))
    assert states == [("online", 200), ("online", 200), ("offline", 404), ("offline", 404)]
    assert run_at(site, T0 + 200 * HOUR, loopback_checker) == 0  # no check after removal
    assert {method for method, _path in site.requests} == {"HEAD"}


def test_an_online_check_between_two_offline_ones_breaks_the_run(
    watched: Takedown, site: ScriptedSite, loopback_checker
) -> None:
    path = "/gallery/1.html"
    for hours, gone in ((4, True), (28, False), (52, True), (76, True)):
        site.gone_at[path] = T0 if gone else None
        run_at(site, T0 + hours * HOUR, loopback_checker)
    case = URLCase.objects.get(pk=watched.case_id)
    assert case.status == URLCase.Status.REMOVED
    assert case.removed_at == T0 + 52 * HOUR


def test_a_worker_that_dies_mid_check_loses_nothing(
    watched: Takedown, site: ScriptedSite, loopback_checker
) -> None:
    due = T0 + 4 * HOUR
    crashed = claim_next(due)  # claimed, then the worker dies before checking
    assert crashed is not None
    assert run_at(site, due, loopback_checker) == 0  # still claimed: no double check
    later = due + CLAIM_LEASE + timedelta(seconds=1)
    assert run_at(site, later, loopback_checker) == 1  # the next worker takes it over
    check = Recheck.objects.get(pk=crashed.pk)
    assert check.state == "online"
    assert check.checked_at == later
    assert Recheck.objects.filter(checked_at=None).get().due_at == later + 24 * HOUR


def test_one_check_is_claimed_by_one_worker(watched: Takedown) -> None:
    due = T0 + 4 * HOUR
    assert claim_next(due) is not None
    assert claim_next(due) is None


def test_a_redirect_to_another_host_opens_a_new_trace(
    watched: Takedown, site: ScriptedSite, loopback_checker
) -> None:
    site.redirects["/gallery/1.html"] = "http://mirror.elsewhere.test/gallery/1.html"
    run_at(site, T0 + 4 * HOUR, loopback_checker)
    run_at(site, T0 + 28 * HOUR, loopback_checker)  # same target again: no second trace
    traces = HostingTrace.objects.filter(case_id=watched.case_id).order_by("pk")
    assert [(t.reason, t.host, t.country) for t in traces] == [
        ("actioned", "127.0.0.1", "GB"),
        ("redirect", "mirror.elsewhere.test", "NL"),
    ]
    check = Recheck.objects.exclude(state="").first()
    assert check is not None
    assert check.state == "redirect"
    assert check.location == "http://mirror.elsewhere.test/gallery/1.html"


def test_a_case_no_longer_actioned_is_not_checked_again(
    watched: Takedown, site: ScriptedSite, loopback_checker
) -> None:
    URLCase.objects.filter(pk=watched.case_id).update(status=URLCase.Status.ASSESSED)
    run_at(site, T0 + 4 * HOUR, loopback_checker)
    watched.refresh_from_db()
    assert watched.closed_at == T0 + 4 * HOUR
    assert not Recheck.objects.filter(checked_at=None).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
)
@pytest.mark.django_db(transaction=True)
def test_workers_claiming_at_once_each_take_a_different_check(
    seeded_schemes: None, watched: Takedown
) -> None:
    due = T0 + 4 * HOUR
    Recheck.objects.create(takedown=watched, due_at=due)  # two due checks, four workers
    claimed: list[int | None] = [None] * THREADS

    def claim(number: int) -> None:
        check = claim_next(due)
        claimed[number] = check.pk if check is not None else None

    assert run_at_once(claim) == []
    won = [pk for pk in claimed if pk is not None]
    assert sorted(won) == sorted(Recheck.objects.values_list("pk", flat=True))


def test_an_address_the_checker_cannot_take_is_kept_as_unknown(watched: Takedown) -> None:
    asked: list[str] = []

    def cannot(url: str) -> CheckResult:
        asked.append(url)
        raise InvalidTarget(f"{url!r}: port 0")

    run_due_checks(T0 + 4 * HOUR, checker=cannot)
    done = Recheck.objects.exclude(checked_at=None).get()
    assert (done.state, done.detail) == ("unknown", f"{asked[-1]!r}: port 0")
    assert asked[0].startswith("http://127.0.0.1:")  # the reported spelling, then the canonical
    assert asked[-1] == "http://127.0.0.1/gallery/1.html"
    assert Recheck.objects.filter(checked_at=None).count() == 1  # checking goes on
