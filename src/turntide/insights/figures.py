"""The typed results of the statistics (`turntide.insights.statistics` fills them).

Pages, charts, the PDF and `turntide stats annual` read these fields by name; each count is
aggregated once, in `statistics`, and the derived figures (shares, changes) follow here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NotRequired, TypedDict

from turntide.cases.models import Assessment
from turntide.insights.periods import Period

__all__ = [
    "AnnualFigures",
    "Changes",
    "HeadlineFigures",
    "JudgementCounts",
    "PeriodStatistics",
    "PublicOutcomes",
    "RemovalTimes",
    "change_pct",
    "change_points",
    "comparison",
    "share_pct",
]


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


def change_points(now: float | None, before: float | None) -> float | None:
    """Change of a share (already a percentage) in percentage points; None without both."""
    return None if now is None or before is None else round(now - before, 1)


@dataclass(frozen=True)
class JudgementCounts:
    """Decisive judgements dated in a period, each URL once: the counts every figure starts from.

    `reports_assessed` counts assessed URLs (the name is `turntide stats annual`'s); the
    other counts are of actioned URLs, `by_category` of each severity category in order.
    """

    reports_assessed: int
    urls_actioned: int
    self_generated: int
    by_category: dict[str, int]

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> JudgementCounts:
        """From a database row of `statistics`' judgement aggregates."""
        return cls(
            reports_assessed=row["reports_assessed"],
            urls_actioned=row["urls_actioned"],
            self_generated=row["self_generated"],
            by_category={c: row[f"category_{c}"] for c in Assessment.Category.values},
        )

    @property
    def self_generated_share(self) -> float | None:
        return share_pct(self.self_generated, self.urls_actioned)


@dataclass(frozen=True)
class PublicOutcomes:
    """Public reports received in a period with a decided URL, and those with a criminal one."""

    assessed: int
    criminal: int


@dataclass(frozen=True)
class RemovalTimes:
    removed: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class HeadlineFigures:
    """The figures that the headline table compares between two periods."""

    reports_received: int
    reports_assessed: int
    public_criminal_share: float | None
    urls_actioned: int
    self_generated: int
    removed: int

    @classmethod
    def of(
        cls,
        reports_received: int,
        judgements: JudgementCounts,
        public: PublicOutcomes,
        removed: int,
    ) -> HeadlineFigures:
        return cls(
            reports_received=reports_received,
            reports_assessed=judgements.reports_assessed,
            public_criminal_share=share_pct(public.criminal, public.assessed),
            urls_actioned=judgements.urls_actioned,
            self_generated=judgements.self_generated,
            removed=removed,
        )


@dataclass(frozen=True)
class Changes:
    """Each headline figure's change from an earlier period: counts in percent, the share in
    percentage points; None where there is nothing to compare with."""

    reports_received: float | None
    reports_assessed: float | None
    public_criminal_share: float | None
    urls_actioned: float | None
    self_generated: float | None
    removed: float | None


def comparison(now: HeadlineFigures, before: HeadlineFigures) -> Changes:
    return Changes(
        reports_received=change_pct(now.reports_received, before.reports_received),
        reports_assessed=change_pct(now.reports_assessed, before.reports_assessed),
        public_criminal_share=change_points(
            now.public_criminal_share, before.public_criminal_share
        ),
        urls_actioned=change_pct(now.urls_actioned, before.urls_actioned),
        self_generated=change_pct(now.self_generated, before.self_generated),
        removed=change_pct(now.removed, before.removed),
    )


@dataclass(frozen=True)
class PeriodStatistics:
    period: Period
    reports_by_channel: dict[str, int]
    judgements: JudgementCounts
    public: PublicOutcomes
    breakdowns: dict[str, dict[str, int]]
    removal: RemovalTimes

    @property
    def reports_received(self) -> int:
        return sum(self.reports_by_channel.values())

    def headline(self) -> HeadlineFigures:
        return HeadlineFigures.of(
            self.reports_received, self.judgements, self.public, self.removal.removed
        )


class AnnualFigures(TypedDict):
    """`turntide stats annual --format json`: a contract (docs/insights.md), keys in this order."""

    year: int
    reports_assessed: int
    urls_actioned: int
    self_generated: int
    self_generated_share: float | None
    by_category: dict[str, int]
    compare_to: NotRequired[int]
    reports_assessed_change_pct: NotRequired[float | None]
    urls_actioned_change_pct: NotRequired[float | None]
    self_generated_change_pct: NotRequired[float | None]
    to_date: NotRequired[str]
