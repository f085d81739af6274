"""Figures computed by database aggregation (SQLite and PostgreSQL alike).

Judgements are counted once per case: only the decisive assessment (exactly one per decided
case) counts, dated by its `assessed_at`. A URL is *actioned* when its decisive judgement is
criminal; the breakdowns (category, age, sex, self-generated, site type, hosting country)
describe the actioned URLs. Time to removal is `removed_at - actioned_at` of the cases
confirmed removed in the period. Percentiles are linear between the two nearest ranks.

On PostgreSQL, a period of whole days (every period the statistics offer) is read from the
per-day counts its triggers keep (`insights.daily`), a few dozen rows a day instead of every
judgement; elsewhere, or while those counts are rebuilt in a new time zone, the rows are
counted: one set of aggregates (`count_judgements`, by year in `yearly_trend`), percentiles
from ROW_NUMBER over the ordered durations. Both give the same figures, which the tests
check. Results are the typed `turntide.insights.figures`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Window,
)
from django.db.models.functions import ExtractYear, RowNumber, TruncMonth
from django.db.models.query import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import Assessment, URLCase
from turntide.cases.removal import removed_cases
from turntide.insights import daily
from turntide.insights.figures import (
    AnnualFigures,
    HeadlineFigures,
    JudgementCounts,
    PeriodStatistics,
    PublicOutcomes,
    RemovalTimes,
    change_pct,
    comparison,
    share_pct,
)
from turntide.insights.periods import BadPeriod, Period, add_months, local_date, midnight
from turntide.reports.models import Report

DIMENSIONS = daily.BREAKDOWN_FIELDS
DIMENSION_LABELS = {
    "category": _("Severity category"),
    "age_group": _("Age of the youngest child"),
    "sex": _("Sex"),
    "self_generated": _("Self-generated"),
    "site_type": _("Site type"),
    "hosting_country": _("Hosting country"),
}
# The values each dimension may take, in their natural order (hosting countries are open).
DIMENSION_VALUES: dict[str, list[str]] = {
    "category": Assessment.Category.values,
    "age_group": Assessment.AgeGroup.values,
    "sex": Assessment.Sex.values,
    "self_generated": Assessment.SelfGenerated.values,
    "site_type": Assessment.SiteType.values,
}


CRIMINAL = Q(outcome__in=Assessment.CRIMINAL_OUTCOMES)


def decisive_in(start: datetime, end: datetime) -> QuerySet[Assessment]:
    return Assessment.objects.filter(decisive=True, assessed_at__gte=start, assessed_at__lt=end)


def actioned_in(start: datetime, end: datetime) -> QuerySet[Assessment]:
    return decisive_in(start, end).filter(CRIMINAL)


def _judgement_aggregates() -> dict[str, Count]:
    """The counts of `JudgementCounts`, as aggregates of decisive judgements."""
    self_generated = CRIMINAL & Q(self_generated=Assessment.SelfGenerated.YES)
    return {
        "reports_assessed": Count("pk"),
        "urls_actioned": Count("pk", filter=CRIMINAL),
        "self_generated": Count("pk", filter=self_generated),
        **{
            f"category_{category}": Count("pk", filter=CRIMINAL & Q(category=category))
            for category in Assessment.Category.values
        },
    }


def whole_days(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The local days [first, stop) that [start, end) is made of, when the per-day counts can
    answer for them (PostgreSQL, counted in this time zone); None otherwise."""
    first, stop = local_date(start), local_date(end)
    if midnight(first) != start or midnight(stop) != end or not daily.ready():
        return None
    return first, stop


JUDGEMENT_FIELDS = ("outcome", "category", "self_generated")


def _judgement_totals(margins: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    """The aggregates of `_judgement_aggregates`, from per-day counts' margins."""
    outcomes, categories = margins.get("outcome", {}), margins.get("category", {})
    return {
        "reports_assessed": sum(outcomes.values()),
        "urls_actioned": sum(outcomes.get(o, 0) for o in Assessment.CRIMINAL_OUTCOMES),
        "self_generated": margins.get("self_generated", {}).get(Assessment.SelfGenerated.YES, 0),
        **{f"category_{c}": categories.get(c, 0) for c in Assessment.Category.values},
    }


def count_judgements(period: Period) -> JudgementCounts:
    """The period's judgement counts, from one aggregate query."""
    days = whole_days(period.start, period.end)
    if days is not None:
        return JudgementCounts.of(_judgement_totals(daily.margins(*days, JUDGEMENT_FIELDS)))
    totals = decisive_in(period.start, period.end).aggregate(**_judgement_aggregates())
    return JudgementCounts.of(totals)


def yearly_trend(first_year: int, last_year: int) -> dict[int, JudgementCounts]:
    """The judgement counts of each year in the range, every year listed, from one query."""
    start, end = Period(first_year).start, Period(last_year).end
    aggregates = _judgement_aggregates()
    days = whole_days(start, end)
    if days is not None:
        margins: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        for year, name, value, n in daily.series(*days, "year", JUDGEMENT_FIELDS):
            margins[year.year][name][value] = n
        return {
            year: JudgementCounts.of(_judgement_totals(margins[year]))
            for year in range(first_year, last_year + 1)
        }
    rows: dict[int, Mapping[str, Any]] = {
        row["year"]: row
        for row in decisive_in(start, end)
        .annotate(year=ExtractYear("assessed_at"))
        .values("year")
        .annotate(**aggregates)
        .order_by("year")
    }
    none = dict.fromkeys(aggregates, 0)
    return {
        year: JudgementCounts.of(rows.get(year, none)) for year in range(first_year, last_year + 1)
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


def public_report_outcomes(start: datetime, end: datetime) -> PublicOutcomes:
    decided = Assessment.objects.filter(
        decisive=True, case__case_reports__reported_url__report=OuterRef("pk")
    )
    criminal = decided.filter(CRIMINAL)
    counts = Report.objects.filter(
        channel=Report.Channel.PUBLIC, received_at__gte=start, received_at__lt=end
    ).aggregate(
        assessed=Count("pk", filter=Q(Exists(decided))),
        criminal=Count("pk", filter=Q(Exists(criminal))),
    )
    return PublicOutcomes(counts["assessed"], counts["criminal"])


def breakdowns(
    start: datetime, end: datetime, dimensions: Sequence[str] = DIMENSIONS
) -> dict[str, dict[str, int]]:
    """Actioned URLs by each of `dimensions`, from one grouped query (margins summed here)."""
    days = whole_days(start, end)
    if days is not None:
        counts = daily.margins(*days, dimensions)
        return {name: _ordered(name, counts.get(name, {})) for name in dimensions}
    margins: dict[str, dict[str, int]] = {name: defaultdict(int) for name in dimensions}
    for row in actioned_in(start, end).values(*dimensions).annotate(n=Count("pk")).order_by():
        for name in dimensions:
            margins[name][row[name]] += row["n"]
    return {name: _ordered(name, counts) for name, counts in margins.items()}


def _ordered(name: str, counts: dict[str, int]) -> dict[str, int]:
    """Every known value in its natural order (zeros included), then the rest by count."""
    ordered = {value: counts.get(value, 0) for value in DIMENSION_VALUES.get(name, [])}
    rest = sorted((v for v in counts if v not in ordered), key=lambda v: (-counts[v], v))
    ordered.update((value, counts[value]) for value in rest)
    return ordered


def removed_in(start: datetime, end: datetime) -> QuerySet[URLCase]:
    """Actioned cases confirmed removed in the period (`cases.removal.removed_cases`)."""
    return removed_cases(start, end)


def removal_times(start: datetime, end: datetime) -> RemovalTimes:
    """Median and 90th percentile of time to removal, for cases removed in the period.

    Linear between the two nearest ranks, as PERCENTILE_CONT: the ranks are read from the
    per-day counts' buckets and their index (`daily.removal_ranks`), or else from the rows.
    """
    fractions = (0.5, 0.9)
    days = whole_days(start, end)
    if days is not None:
        count, at_rank = daily.removal_ranks(*days, fractions)
    else:
        removed = removed_in(start, end)
        count = removed.count()
        # 0-based ranks: the two nearest each percentile's position.
        ranks = {r for f in fractions for r in (int(f * (count - 1)), int(f * (count - 1)) + 1)}
        at_rank = _durations_at(removed, {rank for rank in ranks if rank < count})
    if not count:
        return RemovalTimes(0, None, None)

    def percentile(fraction: float) -> timedelta:
        position = fraction * (count - 1)
        low = int(position)
        lower = at_rank[low]
        if low + 1 not in at_rank:
            return lower
        return lower + (at_rank[low + 1] - lower) * (position - low)

    return RemovalTimes(count, percentile(0.5), percentile(0.9))


def _durations_at(removed: QuerySet[URLCase], ranks: set[int]) -> dict[int, timedelta]:
    """The times to removal at 0-based `ranks` of `removed` in ascending order, from one
    ordered pass (ROW_NUMBER), which SQLite runs too."""
    duration = ExpressionWrapper(F("removed_at") - F("actioned_at"), output_field=DurationField())
    ranked = removed.annotate(duration=duration, rank=Window(RowNumber(), order_by=duration.asc()))
    rows = ranked.filter(rank__in=[rank + 1 for rank in ranks]).values_list("rank", "duration")
    return {rank - 1: value for rank, value in rows}


def removal_count(start: datetime, end: datetime) -> int:
    """Cases confirmed removed in [start, end) (`removed_in`)."""
    days = whole_days(start, end)
    return removed_in(start, end).count() if days is None else daily.removed(*days)


def headline_figures(period: Period, judgements: JudgementCounts | None = None) -> HeadlineFigures:
    """`PeriodStatistics.headline()` without the breakdowns and percentiles: what an earlier
    period needs, at a fraction of the cost; `judgements`, when the caller has the period's
    counts already (a whole year of the trend), saves counting them again."""
    start, end = period.start, period.end
    return HeadlineFigures.of(
        Report.objects.filter(received_at__gte=start, received_at__lt=end).count(),
        count_judgements(period) if judgements is None else judgements,
        public_report_outcomes(start, end),
        removal_count(start, end),
    )


def period_statistics(period: Period) -> PeriodStatistics:
    start, end = period.start, period.end
    return PeriodStatistics(
        period=period,
        reports_by_channel=reports_by_channel(start, end),
        judgements=count_judgements(period),
        public=public_report_outcomes(start, end),
        breakdowns=breakdowns(start, end),
        removal=removal_times(start, end),
    )


def annual(year: int, compare_to: int | None = None) -> AnnualFigures:
    """The figures of `turntide stats annual`, against `compare_to` where given; a year still
    running counts to today, and is compared with the same span of the earlier year."""
    period = Period(year).to_date()
    counts = count_judgements(period)
    figures: AnnualFigures = {
        "year": year,
        "reports_assessed": counts.reports_assessed,
        "urls_actioned": counts.urls_actioned,
        "self_generated": counts.self_generated,
        "self_generated_share": counts.self_generated_share,
        "by_category": counts.by_category,
    }
    if compare_to is not None:
        earlier = count_judgements(Period(compare_to).same_span_as(period))
        figures["compare_to"] = compare_to
        figures["reports_assessed_change_pct"] = change_pct(
            counts.reports_assessed, earlier.reports_assessed
        )
        figures["urls_actioned_change_pct"] = change_pct(
            counts.urls_actioned, earlier.urls_actioned
        )
        figures["self_generated_change_pct"] = change_pct(
            counts.self_generated, earlier.self_generated
        )
    if period.until is not None:
        figures["to_date"] = (period.until - timedelta(days=1)).isoformat()
    return figures


def has_data(period: Period) -> bool:
    """Whether anything was reported or judged in the period (two index look-ups)."""
    start, end = period.start, period.end
    return (
        decisive_in(start, end).exists()
        or Report.objects.filter(received_at__gte=start, received_at__lt=end).exists()
    )


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
    chosen = _Filters.of(filters)
    counts: dict[date, int] = defaultdict(int)
    days = whole_days(midnight(months[0]), midnight(stop))
    if days is not None and len(chosen.lookups) <= 1:
        # Per-day counts hold each field on its own: one filter at most.
        name, values = next(iter(chosen.lookups.items()), ("outcome", daily.CRIMINAL_OUTCOMES))
        if name == "outcome":
            values = [value for value in values if value in daily.CRIMINAL_OUTCOMES]
        for month, _name, value, n in daily.series(*days, "month", [name]):
            if value in values:
                counts[month] += n
        return [MonthCount(month, counts[month]) for month in months]
    rows = (
        actioned_in(midnight(months[0]), midnight(stop))
        .filter(chosen.q())
        .annotate(month=TruncMonth("assessed_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for month, n in rows:
        counts[local_date(month).replace(day=1)] += n
    return [MonthCount(month, counts[month]) for month in months]


def cases_open() -> int:
    """Cases awaiting assessment, all time (the queue's index answers it)."""
    return URLCase.objects.filter(status=URLCase.Status.NEW).count()


__all__ = [
    "AnnualFigures",
    "BadPeriod",
    "HeadlineFigures",
    "JudgementCounts",
    "MonthCount",
    "Period",
    "PeriodStatistics",
    "add_months",
    "annual",
    "breakdowns",
    "cases_open",
    "change_pct",
    "comparison",
    "count_judgements",
    "has_data",
    "headline_figures",
    "monthly_counts",
    "period_statistics",
    "reports_by_channel",
    "share_pct",
    "yearly_trend",
]
