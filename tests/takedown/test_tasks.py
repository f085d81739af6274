"""The background tasks: a trace that cannot reach DNS comes back later, an address that
cannot be traced is skipped; the periodic jobs."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from tests.takedown.conftest import T0, tracer_for
from turntide.cases.models import URLCase
from turntide.schedule.registry import REGISTRY
from turntide.takedown.actions import do_start_takedown
from turntide.takedown.models import HostingTrace, Takedown
from turntide.takedown.tasks import TRACE_ATTEMPTS, start_takedown


def test_a_trace_without_dns_stores_nothing_and_comes_back_later(actioned_case, settings):
    settings.TURNTIDE_DNS_SERVERS = ["192.0.2.1"]  # documentation address: never answers
    settings.TURNTIDE_CHECKER_TIMEOUT = 1
    case = actioned_case("http://unreachable-dns.host.test/1")
    assert start_takedown.call(case.pk) is False
    assert not Takedown.objects.exists()
    assert not HostingTrace.objects.exists()
    retry = DBTaskResult.objects.get(task_path="turntide.takedown.tasks.start_takedown")
    assert retry.args_kwargs["args"] == [case.pk, 2]
    assert retry.run_after is not None


def test_the_last_attempt_gives_up(actioned_case, settings):
    settings.TURNTIDE_DNS_SERVERS = ["192.0.2.1"]
    settings.TURNTIDE_CHECKER_TIMEOUT = 1
    case = actioned_case("http://unreachable-dns.host.test/1")
    assert start_takedown.call(case.pk, TRACE_ATTEMPTS) is False
    assert not DBTaskResult.objects.exists()


def test_rechecks_and_escalation_run_periodically() -> None:
    names = {
        name.rpartition(".")[2]: entry.interval.seconds // 60 for name, entry in REGISTRY.items()
    }
    assert names["run_rechecks"] == 5
    assert names["escalate_overdue"] == 15


def test_a_case_whose_stored_address_no_longer_parses_is_skipped_not_failed(
    actioned_case, smtp_inbox, caplog
):
    bad = actioned_case("http://bad.host.test/1")
    # As stored before the rules refused stray brackets; no validation stands in the way.
    URLCase.objects.filter(pk=bad.pk).update(canonical_url="http://[/")
    good = actioned_case("http://good.host.test/1")
    assert start_takedown.call(bad.pk) is False
    assert f"case {bad.code} has an address that cannot be traced" in caplog.text
    assert not DBTaskResult.objects.exists()  # not retried for ever
    assert do_start_takedown(good, T0, tracer=tracer_for("GB")) is not None
    assert list(Takedown.objects.values_list("case", flat=True)) == [good.pk]
