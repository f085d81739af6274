"""The queue-health page's charts, drawn by insights.charts from weekly_health's figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils.translation import gettext as _

from turntide.insights.charts import Chart, line_chart
from turntide.insights.health import INTAKE_CHANNELS, WeekHealth
from turntide.reports.models import Report

WEEK = "week from"


Convert = Callable[[timedelta | None], float | None]


def _in(unit: timedelta) -> Convert:
    def convert(value: timedelta | None) -> float | None:
        return None if value is None else round(value / unit, 1)

    return convert


days, hours, minutes = _in(timedelta(days=1)), _in(timedelta(hours=1)), _in(timedelta(minutes=1))


def health_charts(weeks: list[WeekHealth]) -> list[Chart]:
    labels = [week.label for week in weeks]

    def chart(key: str, title: str, description: str, **values: list[float | None]) -> Chart:
        series = {name.replace("_", " "): numbers for name, numbers in values.items()}
        return line_chart(
            key, title, labels, series, description=description, category_heading=WEEK
        )

    def spread(key: str, title: str, description: str, field: str, unit: Convert) -> Chart:
        """Median and 90th percentile of a duration, `field` naming the pair."""
        median = [unit(getattr(week, f"{field}_median")) for week in weeks]
        return chart(
            key,
            title,
            description,
            median=median,
            p90=[unit(getattr(week, f"{field}_p90")) for week in weeks],
        )

    channel_names = dict(Report.Channel.choices)
    return [
        chart(
            "backlog",
            _("Open cases at each week's end"),
            _("Cases reported and not yet decided, at the end of each week (now, for this one)."),
            open_cases=[week.backlog for week in weeks],
        ),
        spread(
            "backlog-age",
            _("How long the open cases had waited, days"),
            _("Median and 90th percentile of the time since first report of the open cases."),
            "backlog_age",
            days,
        ),
        line_chart(
            "intake",
            _("Reports received, by channel"),
            labels,
            {str(channel_names[c]): [week.intake[c] for week in weeks] for c in INTAKE_CHANNELS},
            description=_("Reports received each week through each channel."),
            category_heading=WEEK,
        ),
        spread(
            "report-to-decision",
            _("Hours from first report to decision"),
            _("Median and 90th percentile, for the cases decided each week."),
            "report_to_decision",
            hours,
        ),
        spread(
            "claim-to-decision",
            _("Minutes from claim to decision"),
            _("Median and 90th percentile of the deciding analyst's time, per case decided."),
            "claim_to_decision",
            minutes,
        ),
        chart(
            "verified-disputed",
            _("Decided cases verified and disputed, %"),
            _(
                "Share of the cases decided each week that a second analyst verified, and that "
                "a senior analyst decided after a disagreement."
            ),
            verified=[week.verified_pct for week in weeks],
            disputed=[week.disputed_pct for week in weeks],
        ),
        chart(
            "appeals",
            _("Appeals decided"),
            _("Appeals upheld (the judgement changed) and rejected, by the week of decision."),
            upheld=[week.appeals_upheld for week in weeks],
            rejected=[week.appeals_rejected for week in weeks],
        ),
    ]
