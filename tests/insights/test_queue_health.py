"""The queue's health at /cases/health/: weekly figures from known cases, and who may see them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from tests.helpers import MANAGERS_AND_ADMINISTRATORS
from turntide.cases.models import Appeal, Assessment, URLCase
from turntide.insights.health import weekly_health, weeks_ending
from turntide.reports.actions import do_receive_report
from turntide.reports.models import Report

HEALTH = "/cases/health/"
NOW = datetime(2026, 3, 11, 12, tzinfo=UTC)  # a Wednesday
WEEKS = [date(2026, 3, 2), date(2026, 3, 9)]


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def case_reported(name: str, when: datetime, status: str = URLCase.Status.NEW) -> URLCase:
    report, urls = do_receive_report("public", [f"http://{name}.example/page.html"])
    Report.objects.filter(pk=report.pk).update(received_at=when)
    case = URLCase.objects.get(url_key=urls[0].url_key)
    URLCase.objects.filter(pk=case.pk).update(first_reported_at=when, status=status)
    return case


def judged(case: URLCase, kind: str, assessed_at: datetime, started_at: datetime | None = None):
    return Assessment.objects.create(
        case=case, kind=kind, outcome="not_illegal", assessed_at=assessed_at, started_at=started_at
    )


@pytest.fixture
def history(db: None, senior_analyst) -> None:
    # A: reported Monday, claimed and decided the next day within an hour.
    a = case_reported("a", at(2, 10), URLCase.Status.ASSESSED)
    judged(a, "initial", at(3, 10), started_at=at(3, 9))
    # B: reported Wednesday, judged next week, verified by a second analyst that day.
    b = case_reported("b", at(4, 10), URLCase.Status.ACTIONED)
    judged(
        b,
        "initial",
        at(10, 8),
        started_at=at(
            10,
            7,
        ),
    )
    verification = judged(
        b,
        "verification",
        at(10, 12),
        started_at=at(
            10,
            11,
        ),
    )
    # C: reported Thursday, still waiting.
    case_reported("c", at(5))
    # An imported case is history, not queue work.
    imported = case_reported("imported", at(3), URLCase.Status.ASSESSED)
    URLCase.objects.filter(pk=imported.pk).update(imported_from="f" * 64)
    judged(imported, "initial", at(3, 1))
    Appeal.objects.create(
        case=b,
        assessment=verification,
        appellant_kind="host",
        appellant="Host Ltd",
        grounds="synthetic",
        recorded_by=senior_analyst,
        status=Appeal.Status.UPHELD,
        decided_at=at(10, 15),
    )


def test_weeks_end_with_the_current_one() -> None:
    assert weeks_ending(date(2026, 3, 11), 2) == WEEKS
    assert weeks_ending(date(2026, 3, 9), 1) == [date(2026, 3, 9)]


def test_each_weeks_backlog_intake_times_and_reviews(history) -> None:
    first, second = weekly_health(WEEKS, now=NOW)
    # At the end of the first week B and C wait; now only C does.
    assert first.backlog == 2
    assert first.backlog_age_median == timedelta(days=4, hours=7)
    assert second.backlog == 1
    assert second.backlog_age_median == NOW - at(5)
    assert first.intake == {"public": 4, "trusted": 0, "proactive": 0}
    assert second.received == 0
    assert first.decided == 1
    assert first.report_to_decision_median == timedelta(hours=24)
    assert first.claim_to_decision_median == timedelta(hours=1)
    assert second.decided == 1
    assert second.report_to_decision_p90 == at(10, 12) - at(4, 10)
    assert second.claim_to_decision_median == timedelta(hours=1)  # the deciding judgement's
    assert (first.verified_pct, second.verified_pct) == (0.0, 100.0)
    assert second.disputed == 0
    assert (second.appeals_upheld, second.appeals_rejected) == (1, 0)


def test_the_page_draws_each_figure_with_its_table(client: Client, manager) -> None:
    from django.utils import timezone

    case_reported("waiting", timezone.now() - timedelta(days=3))
    client.force_login(manager)
    page = client.get(HEALTH, {"weeks": 4})
    assert page.status_code == 200
    assert b'id="chart-backlog"' in page.content
    assert b'id="chart-intake"' in page.content
    assert page.content.count(b'<svg class="chart-svg') == 3  # backlog, its age, intake
    assert page.content.count(b'<table class="data">') == 3
    assert page.content.count(b"Nothing to show in these weeks.") == 4  # nothing decided
    assert b"<script>" not in page.content
    assert b"style=" not in page.content


@pytest.mark.parametrize(("persona", "status"), MANAGERS_AND_ADMINISTRATORS)
def test_only_managers_see_the_queue_health(
    client: Client, db: None, request: pytest.FixtureRequest, persona: str, status: int
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(HEALTH).status_code == status


def test_anonymous_visitors_are_sent_to_login(client: Client, db: None) -> None:
    assert client.get(HEALTH)["Location"].startswith("/accounts/login/")


def test_an_unknown_number_of_weeks_is_refused(client: Client, manager) -> None:
    client.force_login(manager)
    response = client.get(HEALTH, {"weeks": "7"})
    assert response.status_code == 400
    assert b"errorlist" in response.content
