"""Statistics on hand-built cases: every figure is counted by hand in the test."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment, URLCase
from turntide.insights.statistics import (
    DIMENSIONS,
    BadPeriod,
    JudgementCounts,
    MonthCount,
    Period,
    annual,
    breakdowns,
    change_pct,
    comparison,
    headline_figures,
    monthly_counts,
    period_statistics,
    yearly_trend,
)
from turntide.reports.actions import do_receive_report

pytestmark = pytest.mark.django_db
_numbers = count()


def decided(
    assessed_at: datetime,
    outcome: str = "criminal",
    *,
    decisive: bool = True,
    removed_after: timedelta | None = None,
    **grading: str,
) -> URLCase:
    """A case whose judgement is recorded directly, as a historical import stores it."""
    url = f"http://stats{next(_numbers)}.example/page.html"
    case = URLCase.objects.create(
        url_key=hashlib.sha256(url.encode()).hexdigest(),
        canonical_url=url,
        status=URLCase.Status.ACTIONED,
        actioned_at=assessed_at,
        removed_at=assessed_at + removed_after if removed_after else None,
    )
    Assessment.objects.create(
        case=case, assessed_at=assessed_at, outcome=outcome, decisive=decisive, **grading
    )
    return case


def at(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def test_periods_parse_years_quarters_and_months() -> None:
    assert Period.parse("2021") == Period(2021)
    assert Period.parse("2021-Q3").start == at(2021, 7).replace(hour=0)
    assert Period.parse("2021-Q4").end == at(2022).replace(hour=0)
    assert Period.parse("2021-02").label == "2021-02"
    assert Period.parse("2021-01").earlier() == Period(2020, 12, 1)
    assert Period.parse("2021-Q1").earlier().label == "2020-Q4"
    assert Period(2021).earlier(2) == Period(2019)


@pytest.mark.parametrize("text", ["", "21", "2021-13", "2021-Q5", "2021-00", "last year"])
def test_a_bad_period_is_refused_with_its_reason(text: str) -> None:
    with pytest.raises(BadPeriod, match=r"period|month"):
        Period.parse(text)


def test_the_published_rise_of_self_generated_urls_from_2019_to_2021_is_374_percent() -> None:
    # IWF: 38,424 self-generated URLs actioned in 2019, 182,281 in 2021.
    assert change_pct(182_281, 38_424) == 374.4
    assert change_pct(10, 0) is None
    assert change_pct(90, 100) == -10.0


def test_annual_figures_count_decisive_judgements_of_the_year_only() -> None:
    decided(at(2021, 3), category="A", self_generated="yes")
    decided(at(2021, 6), category="C", self_generated="yes")
    decided(at(2021, 12, 31), category="C", self_generated="no")
    decided(at(2021, 5), "not_illegal")
    decided(at(2021, 5), "criminal", decisive=False, category="B", self_generated="yes")
    decided(at(2022, 1, 1), category="B", self_generated="yes")
    decided(at(2019, 4), category="B", self_generated="yes")

    figures = annual(2021, compare_to=2019)

    assert figures == {
        "year": 2021,
        "reports_assessed": 4,
        "urls_actioned": 3,
        "self_generated": 2,
        "self_generated_share": 66.7,
        "by_category": {"A": 1, "B": 0, "C": 2},
        "compare_to": 2019,
        "reports_assessed_change_pct": 300.0,
        "urls_actioned_change_pct": 200.0,
        "self_generated_change_pct": 100.0,
    }


def test_period_statistics_break_actioned_urls_down_by_every_dimension() -> None:
    decided(
        at(2022, 2),
        category="A",
        age_group="11-13",
        sex="girls",
        self_generated="yes",
        site_type="image_host",
        hosting_country="NL",
    )
    decided(
        at(2022, 3),
        "criminal_non_photographic",
        category="B",
        age_group="11-13",
        sex="boys",
        self_generated="no",
        site_type="forum",
        hosting_country="US",
    )
    decided(at(2022, 3), category="C", sex="girls", hosting_country="NL")
    decided(at(2022, 3), "unavailable")
    decided(at(2022, 4), category="A")  # the next quarter

    figures = period_statistics(Period.parse("2022-Q1"))

    assert figures.judgements.reports_assessed == 4
    assert figures.judgements.urls_actioned == 3
    assert figures.breakdowns["category"] == {"A": 1, "B": 1, "C": 1}
    assert figures.breakdowns["age_group"]["11-13"] == 2
    assert figures.breakdowns["age_group"][""] == 1
    assert figures.breakdowns["sex"] == {"girls": 2, "boys": 1, "both": 0, "unknown": 0}
    assert figures.breakdowns["self_generated"] == {"yes": 1, "no": 1, "unclear": 0, "": 1}
    assert figures.breakdowns["site_type"]["image_host"] == 1
    assert figures.breakdowns["site_type"]["forum"] == 1
    assert figures.breakdowns["hosting_country"] == {"NL": 2, "US": 1}
    assert list(figures.breakdowns["hosting_country"]) == ["NL", "US"]  # largest first
    assert figures.judgements.self_generated_share == 33.3


def test_one_breakdown_alone_counts_as_its_margin_of_all_with_ties_by_value() -> None:
    for country, site_type in (("US", "forum"), ("NL", "forum"), ("BG", "image_host")):
        decided(at(2022, 2), category="A", hosting_country=country, site_type=site_type)
    decided(at(2022, 3), category="B", hosting_country="US", site_type="image_host")
    start, end = Period(2022).start, Period(2022).end

    every = breakdowns(start, end)

    assert list(every["hosting_country"].items()) == [("US", 2), ("BG", 1), ("NL", 1)]
    for dimension in DIMENSIONS:
        assert breakdowns(start, end, [dimension]) == {dimension: every[dimension]}


def test_time_to_removal_has_a_median_and_a_90th_percentile() -> None:
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9, 100):
        decided(at(2023, 5), removed_after=timedelta(hours=hours))
    decided(at(2023, 5))  # actioned, not removed: not counted
    decided(at(2022, 12, 31), removed_after=timedelta(days=400))  # removed in 2024

    removal = period_statistics(Period(2023)).removal

    assert removal.removed == 10
    assert removal.median == timedelta(hours=5.5)
    # Linear between the 9th (9 h) and 10th (100 h) of ten: 9 + 0.1 * 91 hours.
    assert removal.p90 == timedelta(hours=18.1)
    assert period_statistics(Period(2021)).removal.median is None


def test_reports_are_counted_by_channel_and_public_ones_by_their_outcome(analyst) -> None:
    report, _ = do_receive_report("public", ["http://a.example/1", "http://b.example/1"])
    do_receive_report("public", ["http://c.example/1"])
    do_receive_report("public", ["http://d.example/1"])  # not assessed yet
    do_receive_report("trusted", ["http://e.example/1"], channel="trusted")
    for url, outcome in (
        ("http://a.example/1", "not_illegal"),
        ("http://b.example/1", "criminal"),
        ("http://c.example/1", "not_illegal"),
    ):
        case = URLCase.objects.get(canonical_url=url)
        do_assess(analyst, case, Assessment(outcome=outcome))
    this_year = Period(report.received_at.year)

    figures = period_statistics(this_year)

    assert figures.reports_by_channel == {"public": 3, "trusted": 1, "proactive": 0, "import": 0}
    assert figures.reports_received == 4
    assert (figures.public.assessed, figures.public.criminal) == (2, 1)
    assert figures.headline().public_criminal_share == 50.0
    assert period_statistics(this_year.earlier()).reports_received == 0
    assert headline_figures(this_year) == figures.headline()


def test_comparison_gives_the_change_of_each_headline_figure() -> None:
    decided(at(2020, 5))
    decided(at(2020, 6), self_generated="yes")
    for month in (1, 2, 3):
        decided(at(2021, month), self_generated="yes")

    changes = comparison(period_statistics(Period(2021)).headline(), headline_figures(Period(2020)))

    assert changes.urls_actioned == 50.0
    assert changes.self_generated == 200.0
    assert changes.reports_received is None  # nothing to compare with
    assert headline_figures(Period(2021)) == period_statistics(Period(2021)).headline()


def test_monthly_counts_list_every_month_and_apply_audience_filters() -> None:
    decided(at(2021, 1, 5), self_generated="yes", sex="girls", age_group="11-13")
    decided(at(2021, 1, 31), self_generated="yes", sex="girls", age_group="14-15")
    decided(at(2021, 3, 2), self_generated="yes", sex="boys", age_group="11-13")
    decided(at(2021, 3, 2), self_generated="no", sex="girls", age_group="11-13")
    decided(at(2021, 3, 3), "not_illegal", self_generated="yes", sex="girls")

    girls = monthly_counts(date(2021, 1, 1), date(2021, 4, 1), self_generated="yes", sex="girls")
    young = monthly_counts(date(2021, 1, 1), date(2021, 4, 1), age_group=["11-13"])

    assert girls == [
        MonthCount(date(2021, 1, 1), 2),
        MonthCount(date(2021, 2, 1), 0),
        MonthCount(date(2021, 3, 1), 0),
    ]
    assert [month.count for month in young] == [1, 0, 2]
    with pytest.raises(TypeError, match="cannot filter by colour"):
        monthly_counts(date(2021, 1, 1), date(2021, 4, 1), colour="red")


def test_the_yearly_trend_lists_every_year_in_the_range() -> None:
    decided(at(2019, 3), self_generated="yes")
    decided(at(2021, 3), self_generated="no")
    decided(at(2021, 4), "not_illegal")

    no_category = {"A": 0, "B": 0, "C": 0}
    assert yearly_trend(2019, 2021) == {
        2019: JudgementCounts(1, 1, 1, no_category),
        2020: JudgementCounts(0, 0, 0, no_category),
        2021: JudgementCounts(2, 1, 0, no_category),
    }


def test_shares_change_in_percentage_points(analyst) -> None:
    for urls, outcome in (
        (["http://p.example/1"], "criminal"),
        (["http://p.example/2"], "not_illegal"),
    ):
        report, _ = do_receive_report("public", urls)
        do_assess(analyst, URLCase.objects.get(canonical_url=urls[0]), Assessment(outcome=outcome))
    this_year = period_statistics(Period(report.received_at.year))
    last_year = period_statistics(Period(report.received_at.year - 1))

    assert this_year.headline().public_criminal_share == 50.0
    assert comparison(this_year.headline(), this_year.headline()).public_criminal_share == 0.0
    assert comparison(this_year.headline(), last_year.headline()).public_criminal_share is None
