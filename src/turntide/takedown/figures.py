"""Time to removal by host, network, country and route: median and 90th percentile.

Time to removal is `removed_at - actioned_at` of each removed case that went through a
takedown (first notice sent to first check of the confirming offline run). Quantiles are
exact over all rows, by linear interpolation between order statistics (Hyndman and Fan's
type 7, the default of R and NumPy):

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

from turntide.takedown.models import Takedown

DIMENSIONS = ("host", "asn", "country", "route")


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


def _keys(takedown: Takedown) -> dict[str, str]:
    trace = takedown.trace
    return {
        "host": trace.host,
        "asn": f"AS{trace.asn}" if trace.asn is not None else "unknown",
        "country": trace.country or "unknown",
        "route": takedown.route,
    }


def removal_figures() -> list[Figure]:
    """One figure per dimension and value, dimensions in DIMENSIONS order, keys sorted."""
    removed = (
        Takedown.objects.filter(case__removed_at__isnull=False, case__actioned_at__isnull=False)
        .select_related("case", "trace")
        .order_by("case_id", "-pk")
    )
    hours: dict[tuple[str, str], list[float]] = defaultdict(list)
    counted: set[int] = set()
    for takedown in removed:
        if takedown.case_id in counted:  # the case's clock belongs to its latest takedown
            continue
        counted.add(takedown.case_id)
        duration = takedown.case.removed_at - takedown.case.actioned_at  # type: ignore[operator]
        for dimension, key in _keys(takedown).items():
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
