"""The managers' statistics: dashboard, chart CSV downloads, printable annual report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from turntide.accounts.access import staff_required
from turntide.cases.models import Assessment
from turntide.cases.schemes import self_generated_label
from turntide.insights import annual_pdf, statistics
from turntide.insights.charts import Chart, bar_chart, line_chart
from turntide.insights.statistics import BadPeriod, Period, PeriodStatistics
from turntide.reports.models import Report

TREND_YEARS = 10
LABELLED_CHOICES: dict[str, type[models.TextChoices]] = {
    "sex": Assessment.Sex,
    "self_generated": Assessment.SelfGenerated,
    "site_type": Assessment.SiteType,
}


def default_period() -> Period:
    """The latest year with a judgement (this year before the first one)."""
    years = statistics.years_with_data()
    return Period(years[1] if years else timezone.localdate().year)


def chosen_periods(request: HttpRequest) -> tuple[Period, Period, list[str]]:
    """The period asked for and the one to compare it with, and what was wrong with the query."""
    errors = []
    try:
        period = Period.parse(request.GET["period"]) if request.GET.get("period") else None
    except BadPeriod as error:
        errors.append(str(error))
        period = None
    period = period or default_period()
    try:
        compare = Period.parse(request.GET["compare"]) if request.GET.get("compare") else None
    except BadPeriod as error:
        errors.append(str(error))
        compare = None
    if compare is not None and compare.start >= period.start:
        errors.append(_("Compare with an earlier period than %(period)s.") % {"period": period})
        compare = None
    return period, compare or period.earlier(), errors


def duration_text(value: timedelta | None) -> str:
    """A time to removal as people read it: "2 d 5 h", "3 h 10 min", "40 min"."""
    if value is None:
        return _("none removed")
    minutes = round(value.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def _labelled(dimension: str, counts: dict[str, int]) -> dict[str, int]:
    choices = LABELLED_CHOICES.get(dimension)
    labels = {value: str(label) for value, label in choices.choices} if choices else {}
    return {labels.get(value, value): count for value, count in counts.items()}


def period_charts(figures: PeriodStatistics, query: str) -> list[Chart]:
    """The dashboard's charts for one period, each with its CSV address."""
    period = figures.period

    def csv_url(key: str) -> str:
        return f"{reverse('insights:chart_csv', args=[key])}?{query}"

    first_year = period.year - TREND_YEARS + 1
    trend = statistics.yearly_trend(first_year, period.year)
    while len(trend) > 1 and not trend[0]["reports_assessed"]:
        trend.pop(0)
    sg_label = self_generated_label()
    charts = [
        line_chart(
            "trend",
            _("URLs assessed and actioned per year"),
            [str(row["year"]) for row in trend],
            {
                _("assessed"): [row["reports_assessed"] for row in trend],
                _("actioned"): [row["urls_actioned"] for row in trend],
                sg_label: [row["self_generated"] for row in trend],
            },
            description=_("Decisive judgements per year up to %(year)s.") % {"year": period.year},
            category_heading=_("year"),
            csv_url=csv_url("trend"),
        ),
    ]
    if period.months > 1:
        months = statistics.monthly_counts(period.start_date, period.end_date)
        charts.append(
            line_chart(
                "months",
                _("URLs actioned per month"),
                [month.month.strftime("%Y-%m") for month in months],
                {_("actioned"): [month.count for month in months]},
                description=_("URLs judged criminal in each month of %(period)s.")
                % {"period": period},
                category_heading=_("month"),
                csv_url=csv_url("months"),
            )
        )
    channels = {
        str(label): figures.reports_by_channel[value] for value, label in Report.Channel.choices
    }
    charts.append(
        bar_chart(
            "channels",
            _("Reports received by channel"),
            channels,
            description=_("Reports received in %(period)s by how they reached the hotline.")
            % {"period": period},
            value_name=_("reports"),
            category_heading=_("channel"),
            csv_url=csv_url("channels"),
        )
    )
    for dimension, counts in figures.breakdowns.items():
        title = str(statistics.DIMENSION_LABELS[dimension])
        if dimension == "self_generated":
            title = sg_label
        charts.append(
            bar_chart(
                dimension,
                _("URLs actioned by %(dimension)s") % {"dimension": title.lower()},
                _labelled(dimension, counts),
                description=_("URLs judged criminal in %(period)s by %(dimension)s.")
                % {"period": period, "dimension": title.lower()},
                value_name=_("URLs"),
                category_heading=title,
                csv_url=csv_url(dimension),
            )
        )
    return charts


def _years() -> list[int]:
    """Years with judgements, newest first, for quick choice."""
    years = statistics.years_with_data()
    return list(range(years[1], years[0] - 1, -1)) if years else []


def _dashboard_context(request: HttpRequest) -> tuple[dict[str, object], list[str]]:
    period, compare, errors = chosen_periods(request)
    figures = statistics.period_statistics(period)
    earlier = statistics.headline_figures(compare)
    query = urlencode({"period": period.label, "compare": compare.label})
    changes = statistics.comparison(figures.headline(), earlier)
    context: dict[str, object] = {
        "period": period,
        "compare": compare,
        "figures": figures,
        "earlier": earlier,
        "changes": changes,
        "removal_median": duration_text(figures.removal.median),
        "removal_p90": duration_text(figures.removal.p90),
        "charts": period_charts(figures, query),
        "headline": statistics.headline(),
        "years": _years(),
        "self_generated_label": self_generated_label(),
    }
    return context, errors


@staff_required("view_statistics")
def dashboard(request: HttpRequest) -> HttpResponse:
    context, errors = _dashboard_context(request)
    context["errors"] = errors
    context["period_text"] = request.GET.get("period", context["period"])
    context["compare_text"] = request.GET.get("compare", "")
    return render(request, "insights/dashboard.html", context, status=400 if errors else 200)


@staff_required("view_statistics")
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    """The numbers of one dashboard chart, as CSV."""
    context, errors = _dashboard_context(request)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain")
    charts: list[Chart] = context["charts"]  # type: ignore[assignment]
    chart = next((chart for chart in charts if chart.key == key), None)
    if chart is None:
        raise Http404
    response = HttpResponse(chart.csv_text(), content_type="text/csv; charset=utf-8")
    filename = f"turntide-{key}-{context['period']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def annual_report_context(year: int) -> dict[str, Any]:
    """What the annual report shows, for its page and its PDF alike."""
    if not 1900 <= year <= 9998:
        raise Http404
    period = Period(year)
    figures = statistics.period_statistics(period)
    earlier = statistics.headline_figures(period.earlier())
    query = urlencode({"period": period.label, "compare": period.earlier().label})
    trend_chart = period_charts(figures, query)[0]
    countries = figures.breakdowns["hosting_country"]
    context = {
        "year": year,
        "figures": figures,
        "earlier": earlier,
        "annual": statistics.annual(year, compare_to=year - 1),
        "changes": statistics.comparison(figures.headline(), earlier),
        "removal_median": duration_text(figures.removal.median),
        "removal_p90": duration_text(figures.removal.p90),
        "trend_chart": trend_chart,
        "countries": [
            (country, count, statistics.share_pct(count, figures.urls_actioned))
            for country, count in countries.items()
        ],
        "self_generated_label": self_generated_label(),
        "generated_at": timezone.now(),
    }
    return context


@staff_required("view_statistics")
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    """A printable annual report: headline figures, trends over years, hosting countries."""
    return render(request, "insights/annual_report.html", annual_report_context(year))


@staff_required("view_statistics")
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    pdf = annual_pdf.annual_report_pdf(annual_report_context(year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="turntide-annual-report-{year}.pdf"'
    return response
