"""The queue's health, week by week: backlog and its age, intake, times to decision,
verification and disputes, appeals.

Definitions (README, "Queue health"):
- A case is *decided* when its last judgement before it left the queue was made: the latest
  first assessment, verification or senior decision of a case that is no longer workable.
  Appeals come after the decision and are counted apart.
- The *backlog* at a moment is the cases reported before it and not decided by then; its
  *age* is how long each of them has waited since its first report.
- *Report to decision* runs from a case's first report to its decision; *claim to decision*
  from the deciding analyst's claim of the case to their judgement.
- A decided case was *verified* when a second analyst judged it, *disputed* when a senior
  analyst had to decide between two.
Cases imported from history (`turntide import assessments`) were never queue work and are left
out, as are reports of the import channel.

Only the weeks shown are read: the cases open now, and the judgements, reports and appeals of
those weeks. Percentiles are computed here (statistics.quantiles), the same on every database.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from turntide.cases.models import Appeal, Assessment, URLCase
from turntide.cases.transitions import WORKABLE_STATUSES
from turntide.insights.periods import local_date, midnight
from turntide.reports.models import Report

__all__ = ["WeekHealth", "percentiles", "weekly_health", "weeks_ending"]

DECIDING_KINDS = (Assessment.Kind.INITIAL, Assessment.Kind.VERIFICATION, Assessment.Kind.DECISION)
INTAKE_CHANNELS = tuple(c for c in Report.Channel.values if c != Report.Channel.IMPORT)


@dataclass(frozen=True)
class WeekHealth:
    """One week (Monday to Sunday, local time) of the queue's life."""

    start: date
    backlog: int  # open at the week's end (or now, for the current week)
    backlog_age_median: timedelta | None
    backlog_age_p90: timedelta | None
    intake: dict[str, int]  # reports received, by channel
    decided: int
    report_to_decision_median: timedelta | None
    report_to_decision_p90: timedelta | None
    claim_to_decision_median: timedelta | None
    claim_to_decision_p90: timedelta | None
    verified: int
    disputed: int
    appeals_upheld: int
    appeals_rejected: int

    @property
    def label(self) -> str:
        """The Monday, short enough for a chart's axis: "30 Nov"."""
        return f"{self.start.day} {self.start:%b}"

    @property
    def received(self) -> int:
        return sum(self.intake.values())

    @property
    def verified_pct(self) -> float | None:
        return round(100 * self.verified / self.decided, 1) if self.decided else None

    @property
    def disputed_pct(self) -> float | None:
        return round(100 * self.disputed / self.decided, 1) if self.decided else None


def percentiles(values: Iterable[timedelta]) -> tuple[timedelta | None, timedelta | None]:
    """Median and 90th percentile (linear between ranks), or None for no values.

    >>> percentiles([timedelta(hours=h) for h in (1, 2, 3, 4, 10)])
    (datetime.timedelta(seconds=10800), datetime.timedelta(seconds=27360))
    """
    seconds = sorted(value.total_seconds() for value in values)
    if not seconds:
        return None, None
    if len(seconds) == 1:
        return timedelta(seconds=seconds[0]), timedelta(seconds=seconds[0])
    p90 = statistics.quantiles(seconds, n=10, method="inclusive")[8]
    return timedelta(seconds=statistics.median(seconds)), timedelta(seconds=p90)


def weeks_ending(today: date, count: int) -> list[date]:
    """The Mondays of the `count` weeks up to and including the one holding `today`."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=back) for back in range(count - 1, -1, -1)]


@dataclass
class _Decision:
    reported_at: datetime
    decided_at: datetime
    claimed_at: datetime | None
    kinds: set[str]


def _decisions_since(start: datetime) -> dict[int, _Decision]:
    """Cases no longer workable whose deciding judgement fell after `start`, by case id."""
    judgements = (
        Assessment.objects.filter(assessed_at__gte=start, kind__in=DECIDING_KINDS)
        .exclude(case__status__in=WORKABLE_STATUSES)
        .filter(case__imported_from="")
        .values_list("case_id", "case__first_reported_at", "assessed_at", "started_at", "kind")
        .order_by("assessed_at")
    )
    decisions: dict[int, _Decision] = {}
    for case_id, reported_at, assessed_at, started_at, kind in judgements.iterator(2000):
        decision = decisions.setdefault(case_id, _Decision(reported_at, assessed_at, None, set()))
        decision.decided_at, decision.claimed_at = assessed_at, started_at  # the latest wins
        decision.kinds.add(kind)
    return decisions


def weekly_health(weeks: list[date], now: datetime | None = None) -> list[WeekHealth]:
    """The figures of each week whose Monday is in `weeks` (consecutive, oldest first)."""
    now = now or timezone.now()
    start = midnight(weeks[0])
    ends = [min(midnight(monday + timedelta(weeks=1)), now) for monday in weeks]
    decisions = _decisions_since(start)
    open_now = list(
        URLCase.objects.filter(status__in=WORKABLE_STATUSES, imported_from="").values_list(
            "first_reported_at", flat=True
        )
    )

    def week_of(moment: datetime) -> int:
        return (local_date(moment) - weeks[0]).days // 7

    decided_in: dict[int, list[_Decision]] = defaultdict(list)
    for decision in decisions.values():
        decided_in[week_of(decision.decided_at)].append(decision)
    intake: dict[int, Counter[str]] = defaultdict(Counter)
    reports = Report.objects.filter(received_at__gte=start, channel__in=INTAKE_CHANNELS)
    for received_at, channel in reports.values_list("received_at", "channel").iterator(2000):
        intake[week_of(received_at)][channel] += 1
    appeals: dict[int, Counter[str]] = defaultdict(Counter)
    decided_appeals = Appeal.objects.filter(decided_at__gte=start).exclude(status="open")
    for decided_at, status in decided_appeals.values_list("decided_at", "status"):
        appeals[week_of(decided_at)][status] += 1  # type: ignore[arg-type]  # filtered

    result = []
    for index, (monday, end) in enumerate(zip(weeks, ends, strict=True)):
        waiting = [end - at for at in open_now if at < end]
        waiting += [
            end - d.reported_at for d in decisions.values() if d.reported_at < end <= d.decided_at
        ]
        decided = decided_in[index]
        age = percentiles(waiting)
        to_decision = percentiles(d.decided_at - d.reported_at for d in decided)
        claim = percentiles(d.decided_at - d.claimed_at for d in decided if d.claimed_at)
        result.append(
            WeekHealth(
                start=monday,
                backlog=len(waiting),
                backlog_age_median=age[0],
                backlog_age_p90=age[1],
                intake={channel: intake[index][channel] for channel in INTAKE_CHANNELS},
                decided=len(decided),
                report_to_decision_median=to_decision[0],
                report_to_decision_p90=to_decision[1],
                claim_to_decision_median=claim[0],
                claim_to_decision_p90=claim[1],
                verified=sum(1 for d in decided if Assessment.Kind.VERIFICATION in d.kinds),
                disputed=sum(1 for d in decided if Assessment.Kind.DECISION in d.kinds),
                appeals_upheld=appeals[index][Appeal.Status.UPHELD],
                appeals_rejected=appeals[index][Appeal.Status.REJECTED],
            )
        )
    return result
