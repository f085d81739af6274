"""PostgreSQL's per-day counts (insights.daily) give the figures that counting the rows gives,
whatever wrote the rows: analysts, appeals, removals, imports, corrections and deletions."""

from __future__ import annotations

import statistics as maths
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from turntide.cases.actions import do_assess
from turntide.cases.appeals.actions import do_decide_appeal, do_record_appeal
from turntide.cases.importing import import_assessments
from turntide.cases.models import Assessment, URLCase
from turntide.cases.removal import confirm_removal
from turntide.insights import daily, statistics
from turntide.insights.models import DailyJudgements, DailyRemovals
from turntide.insights.statistics import Period
from turntide.insights.tasks import keep_daily_counts
from turntide.reports.actions import do_receive_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers"),
]

COLUMNS = "url,assessed_at,outcome,category,age_group,sex,self_generated,site_type,"
COLUMNS += "hosting_country,removed_at"
HISTORY = [  # judged on the last and first days of years, so a time zone moves them
    "http://old1.example/a.html,2025-12-31T11:30:00+00:00,criminal,A,7-10,girls,yes,forum,NL,"
    "2025-12-31T20:00:00+00:00",
    "http://old2.example/b.html,2025-12-31T23:30:00+00:00,criminal,C,11-13,boys,no,image_host,US,",
    "http://old3.example/c.html,2026-01-01T00:30:00+00:00,not_illegal,,,,,,,",
    "http://old4.example/d.html,2025-06-15T10:00:00+00:00,criminal,B,14-15,girls,yes,"
    "website,BG,2025-06-15T10:00:00.500000+00:00",
]


def figures() -> list[Any]:
    """Every figure the pages show, over periods around the data."""
    year, quarter, month = Period(2026), Period(2025, 10, 3), Period(2025, 12, 1)
    return [
        [statistics.period_statistics(period) for period in (year, quarter, month)],
        statistics.period_statistics(Period(2025)),
        statistics.yearly_trend(2024, 2026),
        statistics.headline_figures(Period(2025)),
        statistics.monthly_counts(Period(2025).start_date, Period(2026).end_date),
        statistics.monthly_counts(year.start_date, year.end_date, self_generated="yes"),
        statistics.monthly_counts(year.start_date, year.end_date, outcome=["criminal", "x"]),
        statistics.monthly_counts(year.start_date, year.end_date, sex="girls", age_group="7-10"),
    ]


@pytest.fixture
def from_rows(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[Any]]:
    """The same figures, counted from the rows as SQLite counts them."""

    def counted() -> list[Any]:
        with monkeypatch.context() as patch:
            patch.setattr(daily, "ready", lambda: False)
            return figures()

    return counted


def imported(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text("\n".join([COLUMNS, *HISTORY]) + "\n")
    summary = import_assessments("test", path)
    assert summary.imported == len(HISTORY), summary.errors


def judged(analyst: Any, url: str, outcome: str, **grading: str) -> URLCase:
    """A public report judged by an analyst, as the case page records it."""
    _report, urls = do_receive_report("public", [url])
    case = URLCase.objects.get(url_key=urls[0].url_key)
    do_assess(analyst, case, Assessment(outcome=outcome, **grading))
    case.refresh_from_db()
    return case


GRADING = {"category": "B", "age_group": "11-13", "sex": "girls", "self_generated": "yes"}


def test_every_kind_of_write_keeps_the_counts_equal_to_the_rows(
    tmp_path: Path, analyst, senior_analyst, from_rows
) -> None:
    assert figures() == from_rows()  # nothing yet: zeros both ways
    imported(tmp_path)
    assert figures() == from_rows()
    first = judged(analyst, "http://new1.example/x.html", "criminal", **GRADING)
    judged(analyst, "http://new2.example/y.html", "not_illegal")
    assert figures() == from_rows()
    # The removal team's clock, then the removal confirmed.
    URLCase.objects.filter(pk=first.pk).update(actioned_at=datetime.now(UTC) - timedelta(hours=5))
    first.refresh_from_db()
    assert confirm_removal(first, datetime.now(UTC))
    assert figures() == from_rows()
    # An upheld appeal replaces the standing judgement with another grading.
    contested = first.assessments.get(decisive=True)
    appeal = do_record_appeal(analyst, first, contested, "host", "Example Hosting", "ticket 42")
    regrade = Assessment(outcome="criminal", **(GRADING | {"category": "A", "sex": "boys"}))
    do_decide_appeal(senior_analyst, appeal, True, "", regrade)
    assert figures() == from_rows()
    # Corrections and deletions made in bulk, outside any action: each column a figure reads.
    old = {n: f"http://old{n}.example/" for n in range(1, 5)}
    judgements = {
        n: Assessment.objects.filter(case__canonical_url__startswith=u) for n, u in old.items()
    }
    cases = {n: URLCase.objects.filter(canonical_url__startswith=u) for n, u in old.items()}
    for write in (
        lambda: judgements[4].update(site_type="forum"),
        lambda: judgements[4].update(assessed_at=datetime(2026, 2, 1, tzinfo=UTC)),
        lambda: judgements[4].update(outcome="criminal_non_photographic", category="A"),
        lambda: judgements[2].update(age_group="0-2", sex="both", self_generated="unclear"),
        lambda: judgements[2].update(hosting_country="FR"),
        lambda: judgements[1].update(decisive=False),
        lambda: cases[1].update(actioned_at=datetime(2025, 12, 1, tzinfo=UTC)),  # another bucket
        lambda: cases[1].update(removed_at=None),  # a removal undone
        lambda: judgements[4].delete(),
        lambda: cases[4].delete(),  # a removed case
    ):
        write()
        assert figures() == from_rows()
    this_year = statistics.period_statistics(Period(timezone.localdate().year))
    assert this_year.judgements.urls_actioned == 1
    assert this_year.judgements.by_category["A"] == 1
    assert this_year.removal.removed == 1
    # Compaction merges rows of +1 and -1 and changes no figure.
    now = figures()
    keys = "SELECT count(*), count(DISTINCT (day, field, value)) FROM insights_dailyjudgements"
    with connection.cursor() as cursor:
        cursor.execute(keys)
        rows, distinct = cursor.fetchone()
        assert rows > distinct
        assert keep_daily_counts.call() == "compacted"
        cursor.execute(keys)
        assert cursor.fetchone()[0] < distinct
        assert figures() == now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign key check pending
        cursor.execute("TRUNCATE cases_assessment, cases_urlcase CASCADE")
    assert figures() == from_rows()
    assert not DailyJudgements.objects.exists()
    assert not DailyRemovals.objects.exists()


def test_a_new_time_zone_counts_from_the_rows_until_the_worker_rebuilds(
    tmp_path: Path, settings, from_rows
) -> None:
    imported(tmp_path)
    assert statistics.count_judgements(Period(2026)).reports_assessed == 1  # 1 Jan, in UTC
    settings.TIME_ZONE = "Pacific/Auckland"  # 13 hours ahead in January
    assert not daily.ready()
    assert figures() == from_rows()
    assert statistics.count_judgements(Period(2026)).reports_assessed == 3
    assert keep_daily_counts.call() == "rebuilt"
    assert daily.ready()
    assert daily.zone() == "Pacific/Auckland"
    assert figures() == from_rows()
    assert statistics.count_judgements(Period(2026)).reports_assessed == 3


def test_percentiles_are_exact_across_the_buckets_of_time_to_removal(from_rows) -> None:
    """Linear between the two nearest ranks, as PostgreSQL's PERCENTILE_CONT and Python's
    inclusive quantiles, with durations from none at all to weeks, many in one bucket."""
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    taken = [timedelta(0), timedelta(milliseconds=300), timedelta(seconds=1)]
    taken += [timedelta(seconds=round(1.37**power)) for power in range(50)]  # to 58 days
    taken += [timedelta(hours=20, microseconds=n) for n in range(9)]  # one bucket, in order
    for number, duration in enumerate(taken):
        url = f"http://removed{number}.example/page.html"
        case = URLCase.objects.create(
            url_key=f"{number:064d}", canonical_url=url, status=URLCase.Status.REMOVED
        )
        URLCase.objects.filter(pk=case.pk).update(actioned_at=start, removed_at=start + duration)
    removal = statistics.removal_times(Period(2026).start, Period(2026).end)
    deciles = maths.quantiles([d.total_seconds() for d in taken], n=10, method="inclusive")
    assert removal.removed == len(taken)
    assert removal.median is not None
    assert removal.p90 is not None
    assert removal.median.total_seconds() == pytest.approx(deciles[4], abs=1e-6)
    assert removal.p90.total_seconds() == pytest.approx(deciles[8], abs=1e-6)
    assert figures() == from_rows()


def test_a_later_migration_may_still_alter_a_counted_column() -> None:
    """PostgreSQL refuses to alter a column that a trigger's WHEN clause names; the triggers
    test their columns in their bodies instead."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cases_assessment ALTER COLUMN outcome TYPE varchar(40)")
        cursor.execute("ALTER TABLE cases_urlcase ALTER COLUMN removed_at DROP NOT NULL")
        cursor.execute("ALTER TABLE cases_urlcase ALTER COLUMN removed_at TYPE timestamptz(3)")
