"""The managers' statistics: dashboard, chart CSV downloads, printable annual report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from turntide.access import staff_required
from turntide.cases.schemes import self_generated_label
from turntide.insights import annual_pdf, statistics
from turntide.insights.charts import Chart
from turntide.insights.figures import (
    Changes,
    HeadlineFigures,
    JudgementCounts,
    PeriodStatistics,
)
from turntide.insights.period_charts import (
    chart_by_key,
    dashboard_charts,
    recent_years,
    trend_chart,
)
from turntide.insights.statistics import BadPeriod, Period


def default_period() -> Period:
    """The latest year with a judgement (this year before the first one), to date."""
    years = statistics.years_with_data()
    return Period(years[1] if years else timezone.localdate().year).to_date()


def chosen_periods(request: HttpRequest) -> tuple[Period, Period, list[str]]:
    """The period asked for and the one to compare it with, and what was wrong with the query."""
    errors = []
    try:
        period = Period.parse(request.GET["period"]) if request.GET.get("period") else None
    except BadPeriod as error:
        errors.append(str(error))
        period = None
    period = period.to_date() if period else default_period()
    try:
        compare = Period.parse(request.GET["compare"]) if request.GET.get("compare") else None
    except BadPeriod as error:
        errors.append(str(error))
        compare = None
    if compare is not None and compare.start >= period.start:
        errors.append(_("Compare with an earlier period than %(period)s.") % {"period": period})
        compare = None
    return period, compare.same_span_as(period) if compare else period.earlier(), errors


def trend_of(figures: PeriodStatistics) -> dict[int, JudgementCounts]:
    """The yearly trend up to the period's year; a year's own counts are reused, not counted
    again (the year to date stands for a running year, as in the headline figures)."""
    period = figures.period
    return recent_years(period.year, figures.judgements if period.months == 12 else None)


def earlier_figures(compare: Period, trend: dict[int, JudgementCounts]) -> HeadlineFigures:
    """The headline figures of `compare`, its counts taken from the trend when it is a whole
    year there."""
    whole = compare.months == 12 and compare.until is None
    return statistics.headline_figures(compare, trend.get(compare.year) if whole else None)


def duration_text(value: timedelta | None) -> str:
    """A time to removal as people read it: "2 d 5 h", "3 h 10 min", "40 min", with each
    language's own abbreviations ("2 j 5 h", "2 T 5 Std.")."""
    if value is None:
        return _("none removed")
    minutes = round(value.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = {"days": days, "hours": hours, "minutes": minutes}
    if days:
        # Translators: a duration in days and hours, abbreviated ("2 d 5 h").
        return _("%(days)d d %(hours)d h") % parts
    if hours:
        # Translators: a duration in hours and minutes, abbreviated ("3 h 10 min").
        return _("%(hours)d h %(minutes)d min") % parts
    # Translators: a duration in minutes, abbreviated ("40 min").
    return _("%(minutes)d min") % parts


def _years() -> list[int]:
    """Years with judgements, newest first, for quick choice."""
    years = statistics.years_with_data()
    return list(range(years[1], years[0] - 1, -1)) if years else []


def _query(period: Period, compare: Period) -> str:
    """The query string of the dashboard showing `period` against `compare`."""
    return urlencode({"period": period.label, "compare": compare.label})


@staff_required("view_statistics")
def dashboard(request: HttpRequest) -> HttpResponse:
    period, compare, errors = chosen_periods(request)
    if not statistics.has_data(period):
        context = {"period": period, "compare": compare, "years": _years(), "errors": errors}
        context["no_data"] = True
        context |= {"period_text": request.GET.get("period", period), "compare_text": ""}
        return render(request, "insights/dashboard.html", context, status=400 if errors else 200)
    figures = statistics.period_statistics(period)
    trend = trend_of(figures)
    now, earlier = figures.headline(), earlier_figures(compare, trend)
    context = {
        "period": period,
        "compare": compare,
        "now": now,
        "earlier": earlier,
        "changes": statistics.comparison(now, earlier),
        "removal_median": duration_text(figures.removal.median),
        "removal_p90": duration_text(figures.removal.p90),
        "charts": dashboard_charts(figures, trend, _query(period, compare)),
        "cases_open": statistics.cases_open(),
        "years": _years(),
        "self_generated_label": self_generated_label(),
        "errors": errors,
        "period_text": request.GET.get("period", period),
        "compare_text": request.GET.get("compare", ""),
    }
    return render(request, "insights/dashboard.html", context, status=400 if errors else 200)


@staff_required("view_statistics")
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    """The numbers of one dashboard chart, as CSV."""
    period, compare, errors = chosen_periods(request)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain")
    chart = chart_by_key(key, period, _query(period, compare))
    if chart is None:
        raise Http404
    response = HttpResponse(chart.csv_text(), content_type="text/csv; charset=utf-8")
    filename = f"turntide-{key}-{period}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def no_data(request: HttpRequest, period: Period) -> HttpResponse:
    """An annual report of a year before the first record or not yet begun: say so, rather
    than show a report of zeros."""
    context = {"period": period, "years": _years()}
    return render(request, "insights/no_data.html", context, status=404)


@dataclass(frozen=True)
class AnnualReport:
    """What the annual report shows, for its page and its PDF alike."""

    year: int
    period: Period  # the year, to date while it runs
    earlier_period: Period  # the year before, over the same span
    now: HeadlineFigures
    earlier: HeadlineFigures
    changes: Changes
    judgements: JudgementCounts
    removal_median: str
    removal_p90: str
    trend: dict[int, JudgementCounts]
    trend_chart: Chart
    countries: list[tuple[str, int, float | None]]  # country, URLs actioned, share in percent
    self_generated_label: str
    generated_at: datetime


def annual_period(year: int) -> Period:
    """The year of an annual report, to date while it runs; 404 outside what a period can be."""
    if not 1900 <= year <= 9998:
        raise Http404
    return Period(year).to_date()


def annual_report_of(period: Period) -> AnnualReport:
    """The annual report of the year `period`, against the same span of the year before."""
    year = period.year
    figures = statistics.period_statistics(period)
    trend = trend_of(figures)
    now, earlier = figures.headline(), earlier_figures(period.earlier(), trend)
    actioned = figures.judgements.urls_actioned
    return AnnualReport(
        year=year,
        period=period,
        earlier_period=period.earlier(),
        now=now,
        earlier=earlier,
        changes=statistics.comparison(now, earlier),
        judgements=figures.judgements,
        removal_median=duration_text(figures.removal.median),
        removal_p90=duration_text(figures.removal.p90),
        trend=trend,
        trend_chart=trend_chart(period, trend, _query(period, period.earlier())),
        countries=[
            (country, count, statistics.share_pct(count, actioned))
            for country, count in figures.breakdowns["hosting_country"].items()
        ],
        self_generated_label=self_generated_label(),
        generated_at=timezone.now(),
    )


@staff_required("view_statistics")
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    """A printable annual report: headline figures, trends over years, hosting countries."""
    period = annual_period(year)
    if not statistics.has_data(period):
        return no_data(request, period)
    report = annual_report_of(period)
    return render(request, "insights/annual_report.html", {"report": report})


@staff_required("view_statistics")
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    period = annual_period(year)
    if not statistics.has_data(period):
        raise Http404
    pdf = annual_pdf.annual_report_pdf(annual_report_of(period))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="turntide-annual-report-{year}.pdf"'
    return response
