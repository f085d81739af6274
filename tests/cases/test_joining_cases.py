"""Every report joins the case of its web address; closed cases reopen only by the rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from turntide.audit.models import Event
from turntide.cases import receivers
from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment, URLCase
from turntide.reports.actions import IncomingReport, check_urls, do_receive_report, store_reports
from turntide.reports.models import ReportedURL


def test_a_case_counts_its_reports_and_their_first_and_last_times(db) -> None:
    early = timezone.now() - timedelta(days=3)
    do_receive_report("public", ["http://one.example/a"], received_at=early)
    do_receive_report("public", ["one.example/a", "http://ONE.example/a#again"])
    case = URLCase.objects.get()
    assert case.report_count == 3
    assert case.first_reported_at == early
    assert case.last_reported_at > early


def test_one_report_naming_an_address_twice_links_both_lines(db) -> None:
    _report, urls = do_receive_report("public", ["http://one.example/a", "one.example/a"])
    assert [u.first_of_its_key for u in urls] == [True, False]
    assert URLCase.objects.get().report_count == 2


def test_immediate_danger_marks_the_case(db) -> None:
    do_receive_report("public", ["http://one.example/a"])
    do_receive_report("public", ["http://one.example/a"], immediate_danger=True)
    assert URLCase.objects.get().immediate_danger


def close(analyst, case: URLCase, days_ago: int) -> None:
    do_assess(analyst, case, Assessment(outcome="not_illegal"))
    URLCase.objects.filter(pk=case.pk).update(
        status_changed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_a_case_closed_long_ago_reopens_when_reported_again(analyst, reported_case) -> None:
    close(analyst, reported_case, days_ago=31)
    do_receive_report("public", [reported_case.canonical_url])
    reported_case.refresh_from_db()
    assert reported_case.status == URLCase.Status.NEW
    assert reported_case.report_count == 2
    assert Event.objects.filter(action="case.reopened", object_code=reported_case.code).exists()


def test_a_recently_closed_case_counts_the_report_but_stays_closed(analyst, reported_case) -> None:
    close(analyst, reported_case, days_ago=5)
    do_receive_report("public", [reported_case.canonical_url])
    reported_case.refresh_from_db()
    assert reported_case.status == URLCase.Status.ASSESSED
    assert reported_case.report_count == 2


def test_reopening_can_be_switched_off(analyst, reported_case, settings) -> None:
    settings.TURNTIDE_REOPEN_AFTER_DAYS = 0
    close(analyst, reported_case, days_ago=400)
    do_receive_report("public", [reported_case.canonical_url])
    reported_case.refresh_from_db()
    assert reported_case.status == URLCase.Status.ASSESSED


def test_an_actioned_case_is_not_reopened(analyst, reported_case) -> None:
    do_assess(
        analyst,
        reported_case,
        Assessment(
            outcome="criminal", category="C", age_group="14-15", sex="boys", self_generated="no"
        ),
    )
    URLCase.objects.filter(pk=reported_case.pk).update(
        status_changed_at=timezone.now() - timedelta(days=90)
    )
    do_receive_report("public", [reported_case.canonical_url])
    reported_case.refresh_from_db()
    assert reported_case.status == URLCase.Status.ACTIONED


def test_a_case_code_already_taken_is_drawn_again(db, monkeypatch) -> None:
    do_receive_report("public", ["http://one.example/a"])
    taken = URLCase.objects.get().code
    draws = iter([[taken], ["C-AAAA-BBBB"]])
    monkeypatch.setattr("turntide.cases.receivers.new_codes", lambda _prefix, _n: next(draws))
    _report, [url] = do_receive_report("public", ["http://two.example/b"])
    assert url.casereport.case.code == "C-AAAA-BBBB"
    assert URLCase.objects.get(code=taken).canonical_url == "http://one.example/a"


def test_a_case_from_a_historical_import_takes_its_report_times_from_its_first_report(
    db, tmp_path
) -> None:
    from turntide.cli import main

    judged = tmp_path / "judged.csv"
    judged.write_text(
        "url,assessed_at,outcome\nhttp://old.example/a,2019-05-01T00:00:00Z,other_harm\n"
    )
    assert main(["import", "assessments", str(judged)]) == 0
    early = timezone.now() - timedelta(days=2)
    do_receive_report("public", ["http://old.example/a"], received_at=early)
    do_receive_report("public", ["old.example/a"])
    case = URLCase.objects.get()
    assert case.report_count == 2
    assert case.first_reported_at == early
    assert case.last_reported_at > early


@pytest.mark.parametrize("inline_sources", [100, 0], ids=["spelled-out", "through-a-table"])
def test_a_case_ranks_by_its_most_trusted_source(db, monkeypatch, inline_sources) -> None:
    monkeypatch.setattr("turntide.cases.receivers.INLINE_SOURCES", inline_sources)
    do_receive_report("public", ["http://one.example/a", "http://two.example/b"])
    do_receive_report("system", ["http://one.example/a"], channel="proactive")
    do_receive_report("public", ["http://one.example/a"])
    confidence = dict(URLCase.objects.values_list("canonical_url", "source_confidence"))
    assert confidence == {"http://one.example/a": 0.9, "http://two.example/b": 0.3}


def test_storing_reports_outside_a_transaction_is_refused(transactional_db) -> None:
    with pytest.raises(RuntimeError, match="needs a transaction"):
        store_reports([IncomingReport(urls=check_urls(["http://one.example/a"]).valid)])
    assert not ReportedURL.objects.exists()


def test_a_code_clash_met_by_the_insert_opens_the_case_next_draw_counted_once(
    db, monkeypatch
) -> None:
    do_receive_report("public", ["http://one.example/a"])
    taken = URLCase.objects.get().code
    draws = iter([[taken, "C-AAAA-DDDD"], ["C-AAAA-CCCC"]])
    monkeypatch.setattr(receivers, "new_codes", lambda _prefix, _n: next(draws))
    checks = []

    def check_from_the_second_draw() -> None:
        checks.append(1)
        if len(checks) > 1:
            original_check()

    original_check = receivers.redraw_taken_codes
    monkeypatch.setattr(receivers, "redraw_taken_codes", check_from_the_second_draw)
    do_receive_report("public", ["http://two.example/b", "two.example/b", "http://three.example/"])
    opened = URLCase.objects.exclude(code=taken).order_by("canonical_url")
    assert [case.report_count for case in opened] == [1, 2]  # three, two: each counted once
    assert {case.code for case in opened} == {"C-AAAA-CCCC", "C-AAAA-DDDD"}
