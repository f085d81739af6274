"""Time to removal by host, network, country and route: median and 90th percentile.

Time to removal is `removed_at - actioned_at` of each removed case as
`cases.removal.removed_cases` defines it, the same cases the insights count (first notice sent
to first check of the confirming offline run). A case removed before the hotline ran its
removals here (imported history) has no takedown: its route is `none`, its network unknown.
Quantiles are exact over all rows, by linear interpolation between order statistics
(Hyndman and Fan's type 7, the default of R and NumPy):

>>> quantile([1.0, 2.0, 3.0, 4.0], 0.5)
2.5
>>> quantile([0.0, 10.0], 0.9)
9.0
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from turntide.cases.models import URLCase
from turntide.cases.removal import removed_cases
from turntide.takedown.models import Takedown

DIMENSIONS = ("all", "host", "asn", "country", "route")
NO_TAKEDOWN = "none"


def quantile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of ascending, non-empty `ordered`."""
    position = (len(ordered) - 1) * q
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


@dataclass(frozen=True)
class Figure:
    dimension: str
    key: str
    removed: int
    median_hours: float
    p90_hours: float


def _keys(case: URLCase, takedown: Takedown | None) -> dict[str, str]:
    if takedown is None:
        return {
            "all": "all",
            "host": urlsplit(case.canonical_url).hostname or "unknown",
            "asn": "unknown",
            "country": case.hosting_country or "unknown",
            "route": NO_TAKEDOWN,
        }
    trace = takedown.trace
    return {
        "all": "all",
        "host": trace.host,
        "asn": f"AS{trace.asn}" if trace.asn is not None else "unknown",
        "country": trace.country or "unknown",
        "route": takedown.route,
    }


def removal_figures(start: datetime | None = None, end: datetime | None = None) -> list[Figure]:
    """One figure per dimension and value, dimensions in DIMENSIONS order, keys sorted, over
    the cases removed in [start, end) (all when not given)."""
    removed = removed_cases(start, end)
    latest: dict[int, Takedown] = {}  # a case's clock belongs to its latest takedown
    for takedown in (
        Takedown.objects.filter(case__in=removed).select_related("trace").order_by("pk")
    ):
        latest[takedown.case_id] = takedown
    hours: dict[tuple[str, str], list[float]] = defaultdict(list)
    for case in removed.only("pk", "canonical_url", "hosting_country", "actioned_at", "removed_at"):
        duration = case.removed_at - case.actioned_at  # type: ignore[operator]
        for dimension, key in _keys(case, latest.get(case.pk)).items():
            hours[dimension, key].append(duration.total_seconds() / 3600)
    figures = []
    for dimension in DIMENSIONS:
        for (found, key), values in sorted(hours.items()):
            if found != dimension:
                continue
            values.sort()
            figures.append(
                Figure(dimension, key, len(values), quantile(values, 0.5), quantile(values, 0.9))
            )
    return figures
