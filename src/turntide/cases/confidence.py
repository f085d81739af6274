"""How far to trust a source: the share of its reported addresses that proved criminal.

Each source (a trusted organisation, else a report channel) starts from a prior and moves
towards its measured accuracy as decided cases accumulate (a Beta-style average with the
weight of PRIOR_WEIGHT decided cases), so one lucky report does not jump the queue.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Q

from turntide.cases.models import Assessment

PRIORS = {"proactive": 0.9, "trusted": 0.7, "import": 0.5, "public": 0.3}
PRIOR_WEIGHT = 10
CACHE_KEY = "cases:source-accuracy"
CACHE_SECONDS = 600


def source_key(channel: str, source: str) -> str:
    return f"org:{source}" if source else channel


def measured_accuracy() -> dict[str, float]:
    """Smoothed accuracy per source key, recomputed at most every ten minutes."""
    cached: dict[str, float] | None = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    report = "case__case_reports__reported_url__report__"
    rows = (
        Assessment.objects.filter(decisive=True)
        .values(f"{report}channel", f"{report}source")
        .annotate(
            decided=Count("case", distinct=True),
            criminal=Count(
                "case", distinct=True, filter=Q(outcome__in=Assessment.CRIMINAL_OUTCOMES)
            ),
        )
    )
    accuracy = {}
    for row in rows:
        channel, source = row[f"{report}channel"], row[f"{report}source"]
        if channel is None:
            continue
        prior = PRIORS.get(channel, 0.5)
        smoothed = (row["criminal"] + PRIOR_WEIGHT * prior) / (row["decided"] + PRIOR_WEIGHT)
        accuracy[source_key(channel, source)] = round(smoothed, 4)
    cache.set(CACHE_KEY, accuracy, CACHE_SECONDS)
    return accuracy


def confidence(channel: str, source: str) -> float:
    key = source_key(channel, source)
    return measured_accuracy().get(key, PRIORS.get(channel, 0.5))
