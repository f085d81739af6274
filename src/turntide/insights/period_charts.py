"""The dashboard's charts of one period, each built by its key from the counts it shows.

A chart's key names it on the page (`#chart-<key>`) and in its CSV address
(`/insights/charts/<key>.csv`). The dashboard builds every chart from the period's statistics;
a CSV download builds only the chart it names, from only that chart's counts.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from turntide.cases.models import Assessment
from turntide.cases.schemes import self_generated_label
from turntide.insights import statistics
from turntide.insights.charts import Chart, bar_chart, line_chart
from turntide.insights.figures import JudgementCounts, PeriodStatistics
from turntide.insights.periods import Period
from turntide.reports.models import Report

__all__ = ["TREND_YEARS", "chart_by_key", "dashboard_charts", "recent_years", "trend_chart"]

TREND_YEARS = 10
LABELLED_CHOICES: dict[str, type[models.TextChoices]] = {
    "sex": Assessment.Sex,
    "self_generated": Assessment.SelfGenerated,
    "site_type": Assessment.SiteType,
}


def _csv_url(key: str, query: str) -> str:
    return f"{reverse('insights:chart_csv', args=[key])}?{query}"


def recent_years(
    last_year: int, last_counts: JudgementCounts | None = None
) -> dict[int, JudgementCounts]:
    """The counts of up to `TREND_YEARS` years to `last_year`, from the first with a judgement
    (`last_year` alone when none has one). `last_counts`, the counts of `last_year` (to date)
    that the caller has already, saves scanning that year twice."""
    if last_counts is None:
        trend = statistics.yearly_trend(last_year - TREND_YEARS + 1, last_year)
    else:
        trend = statistics.yearly_trend(last_year - TREND_YEARS + 1, last_year - 1)
        trend[last_year] = last_counts
    first = next((year for year, counts in trend.items() if counts.reports_assessed), last_year)
    return {year: counts for year, counts in trend.items() if year >= first}


def trend_chart(period: Period, trend: dict[int, JudgementCounts], query: str) -> Chart:
    return line_chart(
        "trend",
        _("URLs assessed and actioned per year"),
        [str(year) for year in trend],
        {
            _("assessed"): [counts.reports_assessed for counts in trend.values()],
            _("actioned"): [counts.urls_actioned for counts in trend.values()],
            self_generated_label(): [counts.self_generated for counts in trend.values()],
        },
        description=_("Decisive judgements per year up to %(year)s.") % {"year": period.year},
        category_heading=_("year"),
        csv_url=_csv_url("trend", query),
    )


def _month_label(period: Period, month: date) -> str:
    """ "2026-12", or "2026-12 (to date)" for the month a running period is cut in."""
    label = month.strftime("%Y-%m")
    if period.is_running and period.until and period.until.replace(day=1) == month:
        return _("%(month)s (to date)") % {"month": label}
    return label


def _months_chart(period: Period, query: str) -> Chart:
    months = statistics.monthly_counts(period.start_date, period.end_date)
    return line_chart(
        "months",
        _("URLs actioned per month"),
        [_month_label(period, month.month) for month in months],
        {_("actioned"): [month.count for month in months]},
        description=_("URLs judged criminal in each month of %(period)s.") % {"period": period},
        category_heading=_("month"),
        csv_url=_csv_url("months", query),
    )


def _channels_chart(period: Period, counts: dict[str, int], query: str) -> Chart:
    return bar_chart(
        "channels",
        _("Reports received by channel"),
        {str(label): counts[value] for value, label in Report.Channel.choices},
        description=_("Reports received in %(period)s by how they reached the hotline.")
        % {"period": period},
        value_name=_("reports"),
        category_heading=_("channel"),
        csv_url=_csv_url("channels", query),
    )


def _breakdown_chart(period: Period, dimension: str, counts: dict[str, int], query: str) -> Chart:
    title = str(statistics.DIMENSION_LABELS[dimension])
    if dimension == "self_generated":
        title = self_generated_label()
    choices = LABELLED_CHOICES.get(dimension)
    labels = {value: str(label) for value, label in choices.choices} if choices else {}
    return bar_chart(
        dimension,
        _("URLs actioned by %(dimension)s") % {"dimension": title.lower()},
        {labels.get(value, value): count for value, count in counts.items()},
        description=_("URLs judged criminal in %(period)s by %(dimension)s.")
        % {"period": period, "dimension": title.lower()},
        value_name=_("URLs"),
        category_heading=title,
        csv_url=_csv_url(dimension, query),
    )


def dashboard_charts(
    figures: PeriodStatistics, trend: dict[int, JudgementCounts], query: str
) -> list[Chart]:
    """Every chart of the dashboard for the period of `figures` and its `trend`
    (`recent_years`), in page order."""
    period = figures.period
    charts = [trend_chart(period, trend, query)]
    if period.months > 1:
        charts.append(_months_chart(period, query))
    charts.append(_channels_chart(period, figures.reports_by_channel, query))
    charts += [
        _breakdown_chart(period, dimension, counts, query)
        for dimension, counts in figures.breakdowns.items()
    ]
    return charts


def chart_by_key(key: str, period: Period, query: str) -> Chart | None:
    """The dashboard's chart `key` for `period`, counting only what it shows; None if the
    dashboard has no such chart for that period (a month has no chart by month)."""
    start, end = period.start, period.end
    if key == "trend":
        return trend_chart(period, recent_years(period.year), query)
    if key == "months":
        return _months_chart(period, query) if period.months > 1 else None
    if key == "channels":
        return _channels_chart(period, statistics.reports_by_channel(start, end), query)
    if key in statistics.DIMENSIONS:
        counts = statistics.breakdowns(start, end, [key])[key]
        return _breakdown_chart(period, key, counts, query)
    return None
