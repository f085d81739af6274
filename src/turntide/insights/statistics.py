"""Figures computed by database aggregation (SQLite and PostgreSQL alike).

Judgements are counted once per case: only the decisive assessment (exactly one per decided
case) counts, dated by its `assessed_at`. A URL is *actioned* when its decisive judgement is
criminal; the breakdowns (category, age, sex, self-generated, site type, hosting country)
describe the actioned URLs. Time to removal is `removed_at - actioned_at` of the cases
confirmed removed in the period. Percentiles are read from ROW_NUMBER over the ordered
durations, not from a database's own percentile function, so the same query runs everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Window
from django.db.models.functions import ExtractYear, RowNumber, TruncMonth
from django.db.models.query import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import Assessment, URLCase
from turntide.insights.periods import BadPeriod, Period, add_months, midnight
from turntide.reports.models import Report

DIMENSIONS = ("category", "age_group", "sex", "self_generated", "site_type", "hosting_country")
DIMENSION_LABELS = {
    "category": _("Severity category"),
    "age_group": _("Age of the youngest child"),
    "sex": _("Sex"),
    "self_generated": _("Self-generated"),
    "site_type": _("Site type"),
    "hosting_country": _("Hosting country"),
}


def change_pct(now: float, before: float) -> float | None:
    """Change from `before` to `now` in percent, one decimal; None when `before` is zero.

    >>> change_pct(182281, 38424)
    374.4
    """
    if not before:
        return None
    return round((now - before) * 100 / before, 1)


def share_pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def decisive_in(start: datetime, end: datetime) -> QuerySet[Assessment]:
    return Assessment.objects.filter(decisive=True, assessed_at__gte=start, assessed_at__lt=end)


def actioned_in(start: datetime, end: datetime) -> QuerySet[Assessment]:
    return decisive_in(start, end).filter(outcome__in=Assessment.CRIMINAL_OUTCOMES)


@dataclass(frozen=True)
class RemovalTimes:
    removed: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class PeriodStatistics:
    period: Period
    reports_by_channel: dict[str, int]
    reports_assessed: int
    public_reports_assessed: int
    public_reports_criminal: int
    urls_actioned: int
    breakdowns: dict[str, dict[str, int]]
    removal: RemovalTimes

    @property
    def reports_received(self) -> int:
        return sum(self.reports_by_channel.values())

    @property
    def public_criminal_share(self) -> float | None:
        return share_pct(self.public_reports_criminal, self.public_reports_assessed)

    @property
    def self_generated(self) -> int:
        return self.breakdowns["self_generated"].get(Assessment.SelfGenerated.YES, 0)

    @property
    def self_generated_share(self) -> float | None:
        return share_pct(self.self_generated, self.urls_actioned)

    def headline(self) -> dict[str, int | float | None]:
        """The figures compared between periods."""
        return {
            "reports_received": self.reports_received,
            "reports_assessed": self.reports_assessed,
            "public_criminal_share": self.public_criminal_share,
            "urls_actioned": self.urls_actioned,
            "self_generated": self.self_generated,
            "removed": self.removal.removed,
        }


def reports_by_channel(start: datetime, end: datetime) -> dict[str, int]:
    rows = (
        Report.objects.filter(received_at__gte=start, received_at__lt=end)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(Report.Channel.values, 0)
    counts.update(dict(rows))
    return counts


def public_report_outcomes(start: datetime, end: datetime) -> tuple[int, int]:
    """(public reports received in the period with a decided URL, those with a criminal one)."""
    decided = Assessment.objects.filter(
        decisive=True, case__case_reports__reported_url__report=OuterRef("pk")
    )
    criminal = decided.filter(outcome__in=Assessment.CRIMINAL_OUTCOMES)
    counts = Report.objects.filter(
        channel=Report.Channel.PUBLIC, received_at__gte=start, received_at__lt=end
    ).aggregate(
        assessed=Count("pk", filter=Q(Exists(decided))),
        criminal=Count("pk", filter=Q(Exists(criminal))),
    )
    return counts["assessed"], counts["criminal"]


def breakdowns(start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """Actioned URLs by each dimension, from one grouped query (margins summed here)."""
    margins: dict[str, dict[str, int]] = {name: defaultdict(int) for name in DIMENSIONS}
    for row in actioned_in(start, end).values(*DIMENSIONS).annotate(n=Count("pk")).order_by():
        for name in DIMENSIONS:
            margins[name][row[name]] += row["n"]
    return {name: _ordered(name, counts) for name, counts in margins.items()}


def _ordered(name: str, counts: dict[str, int]) -> dict[str, int]:
    """Every known value in its natural order (zeros included), then the rest by count."""
    known = {
        "category": Assessment.Category.values,
        "age_group": Assessment.AgeGroup.values,
        "sex": Assessment.Sex.values,
        "self_generated": Assessment.SelfGenerated.values,
        "site_type": Assessment.SiteType.values,
    }.get(name, [])
    ordered = {value: counts.get(value, 0) for value in known}
    rest = sorted((value for value in counts if value not in ordered), key=lambda v: -counts[v])
    ordered.update((value, counts[value]) for value in rest)
    return ordered


def removal_times(start: datetime, end: datetime) -> RemovalTimes:
    """Median and 90th percentile of time to removal, for cases removed in the period.

    Linear between the two nearest ranks; both percentiles come from one ordered pass
    (ROW_NUMBER over the durations), which SQLite and PostgreSQL both run.
    """
    duration = ExpressionWrapper(F("removed_at") - F("actioned_at"), output_field=DurationField())
    removed = URLCase.objects.filter(
        removed_at__gte=start, removed_at__lt=end, actioned_at__isnull=False
    )
    count = removed.count()
    if not count:
        return RemovalTimes(0, None, None)
    fractions = (0.5, 0.9)
    ranks = {
        rank for f in fractions for rank in (int(f * (count - 1)) + 1, int(f * (count - 1)) + 2)
    }
    ranked = removed.annotate(duration=duration, rank=Window(RowNumber(), order_by=duration.asc()))
    at_rank: dict[int, timedelta] = dict(
        ranked.filter(rank__in=ranks).values_list("rank", "duration")
    )

    def percentile(fraction: float) -> timedelta:
        position = fraction * (count - 1)
        low = int(position)
        lower = at_rank[low + 1]
        if low + 2 not in at_rank:
            return lower
        return lower + (at_rank[low + 2] - lower) * (position - low)

    return RemovalTimes(count, percentile(0.5), percentile(0.9))


def headline_figures(period: Period) -> dict[str, int | float | None]:
    """The figures compared between periods (`PeriodStatistics.headline()`), without the
    breakdowns and percentiles: what an earlier period needs, at a fraction of the cost."""
    start, end = period.start, period.end
    criminal = Q(outcome__in=Assessment.CRIMINAL_OUTCOMES)
    totals = decisive_in(start, end).aggregate(
        assessed=Count("pk"),
        actioned=Count("pk", filter=criminal),
        self_generated=Count("pk", filter=criminal & Q(self_generated="yes")),
    )
    public_assessed, public_criminal = public_report_outcomes(start, end)
    removed = URLCase.objects.filter(
        removed_at__gte=start, removed_at__lt=end, actioned_at__isnull=False
    ).count()
    return {
        "reports_received": Report.objects.filter(
            received_at__gte=start, received_at__lt=end
        ).count(),
        "reports_assessed": totals["assessed"],
        "public_criminal_share": share_pct(public_criminal, public_assessed),
        "urls_actioned": totals["actioned"],
        "self_generated": totals["self_generated"],
        "removed": removed,
    }


def period_statistics(period: Period) -> PeriodStatistics:
    start, end = period.start, period.end
    totals = decisive_in(start, end).aggregate(
        assessed=Count("pk"),
        actioned=Count("pk", filter=Q(outcome__in=Assessment.CRIMINAL_OUTCOMES)),
    )
    public_assessed, public_criminal = public_report_outcomes(start, end)
    return PeriodStatistics(
        period=period,
        reports_by_channel=reports_by_channel(start, end),
        reports_assessed=totals["assessed"],
        public_reports_assessed=public_assessed,
        public_reports_criminal=public_criminal,
        urls_actioned=totals["actioned"],
        breakdowns=breakdowns(start, end),
        removal=removal_times(start, end),
    )


Figures = Mapping[str, int | float | None]


def comparison(now: Figures, before: Figures) -> dict[str, float | None]:
    """Change of each headline figure from an earlier period: counts in percent, shares
    (already percentages) in percentage points."""
    changes: dict[str, float | None] = {}
    for name, value in now.items():
        was = before[name]
        if value is None or was is None:
            changes[name] = None
        elif name.endswith("_share"):
            changes[name] = round(value - was, 1)
        else:
            changes[name] = change_pct(value, was)
    return changes


def annual(year: int, compare_to: int | None = None) -> dict[str, Any]:
    """The annual figures of `turntide stats annual` (keys are a contract, see DESIGN.md)."""
    figures = _annual_figures(year)
    if compare_to is not None:
        earlier = _annual_figures(compare_to)
        figures["compare_to"] = compare_to
        for name in ("reports_assessed", "urls_actioned", "self_generated"):
            figures[f"{name}_change_pct"] = change_pct(figures[name], earlier[name])
    return figures


def _annual_figures(year: int) -> dict[str, Any]:
    period = Period(year)
    start, end = period.start, period.end
    self_generated = Q(self_generated=Assessment.SelfGenerated.YES)
    criminal = Q(outcome__in=Assessment.CRIMINAL_OUTCOMES)
    totals = decisive_in(start, end).aggregate(
        reports_assessed=Count("pk"),
        urls_actioned=Count("pk", filter=criminal),
        self_generated=Count("pk", filter=criminal & self_generated),
        **{
            category: Count("pk", filter=criminal & Q(category=category))
            for category in Assessment.Category.values
        },
    )
    return {
        "year": year,
        "reports_assessed": totals["reports_assessed"],
        "urls_actioned": totals["urls_actioned"],
        "self_generated": totals["self_generated"],
        "self_generated_share": share_pct(totals["self_generated"], totals["urls_actioned"]),
        "by_category": {category: totals[category] for category in Assessment.Category.values},
    }


def yearly_trend(first_year: int, last_year: int) -> list[dict[str, int]]:
    """Assessed, actioned and self-generated URLs per year, every year in the range listed."""
    start, end = Period(first_year).start, Period(last_year).end
    criminal = Q(outcome__in=Assessment.CRIMINAL_OUTCOMES)
    rows: dict[int, Any] = {
        row["year"]: row
        for row in decisive_in(start, end)
        .annotate(year=ExtractYear("assessed_at"))
        .values("year")
        .annotate(
            reports_assessed=Count("pk"),
            urls_actioned=Count("pk", filter=criminal),
            self_generated=Count(
                "pk", filter=criminal & Q(self_generated=Assessment.SelfGenerated.YES)
            ),
        )
        .order_by("year")
    }
    empty = {"reports_assessed": 0, "urls_actioned": 0, "self_generated": 0}
    years = range(first_year, last_year + 1)
    return [{**empty, **rows.get(year, {}), "year": year} for year in years]


def years_with_data() -> tuple[int, int] | None:
    """The first and last year with a decisive judgement, or None before the first one."""
    first = Assessment.objects.filter(decisive=True).order_by("assessed_at").first()
    last = Assessment.objects.filter(decisive=True).order_by("-assessed_at").first()
    if first is None or last is None:
        return None
    current = timezone.get_current_timezone()
    return first.assessed_at.astimezone(current).year, last.assessed_at.astimezone(current).year


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int


FILTERABLE = frozenset(DIMENSIONS) | {"outcome"}


@dataclass(frozen=True)
class _Filters:
    lookups: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, filters: dict[str, str | Iterable[str] | None]) -> _Filters:
        unknown = sorted(set(filters) - FILTERABLE)
        if unknown:
            raise TypeError(f"cannot filter by {', '.join(unknown)}; use {sorted(FILTERABLE)}")
        lookups = {
            name: [value] if isinstance(value, str) else list(value)
            for name, value in filters.items()
            if value is not None
        }
        return cls(lookups)

    def q(self) -> Q:
        query = Q()
        for name, values in self.lookups.items():
            query &= Q(**{f"{name}__in": values})
        return query


def monthly_counts(
    start: date, end: date, **filters: str | Iterable[str] | None
) -> list[MonthCount]:
    """New actioned URLs per month, every month from `start`'s up to `end` (exclusive).

    Filters narrow by the decisive judgement's fields (`self_generated="yes"`,
    `sex="girls"`, `age_group=["11-13", "14-15"]`, ...); a value may be one string or
    several; None means no filter. Months without any are listed with 0.
    """
    first = add_months(start, 0)
    stop = end if end.day == 1 else add_months(end, 1)
    months: list[date] = []
    while first < stop:
        months.append(first)
        first = add_months(first, 1)
    if not months:
        return []
    rows = (
        actioned_in(midnight(months[0]), midnight(stop))
        .filter(_Filters.of(filters).q())
        .annotate(month=TruncMonth("assessed_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[date, int] = defaultdict(int)
    for month, n in rows:
        counts[_as_date(month)] += n
    return [MonthCount(month, counts[month]) for month in months]


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


@dataclass(frozen=True)
class Headline:
    reports_received: int
    cases_open: int
    cases_assessed: int
    urls_actioned: int


def headline() -> Headline:
    """All-time figures at a glance."""
    statuses = URLCase.objects.aggregate(
        open=Count("pk", filter=Q(status=URLCase.Status.NEW)),
        assessed=Count("pk", filter=~Q(status=URLCase.Status.NEW)),
    )
    actioned = Assessment.objects.filter(
        decisive=True, outcome__in=Assessment.CRIMINAL_OUTCOMES
    ).count()
    return Headline(
        reports_received=Report.objects.count(),
        cases_open=statuses["open"],
        cases_assessed=statuses["assessed"],
        urls_actioned=actioned,
    )


__all__ = [
    "BadPeriod",
    "MonthCount",
    "Period",
    "PeriodStatistics",
    "add_months",
    "annual",
    "change_pct",
    "comparison",
    "headline",
    "headline_figures",
    "monthly_counts",
    "period_statistics",
    "yearly_trend",
]
