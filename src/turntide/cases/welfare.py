"""Analyst welfare: what a day of assessing has asked of each person, and when to pause.

Analysts see their own day; managers see team aggregates only (no league table). After
every TURNTIDE_WELFARE_CATEGORY_A_BREAK Category A assessments, or every
TURNTIDE_WELFARE_CASES_BREAK cases, the workspace suggests a break and holds the next
claim for TURNTIDE_WELFARE_PAUSE_MINUTES.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from turntide.cases.models import Assessment


@dataclass(frozen=True)
class Day:
    assessed: int
    category_a: int
    minutes_working: int
    break_due: bool


def _today(analyst: User | None = None) -> QuerySet[Assessment]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    assessments = Assessment.objects.filter(assessed_at__gte=start, analyst__isnull=False)
    return assessments.filter(analyst=analyst) if analyst is not None else assessments


def _break_due(assessed: int, category_a: int) -> bool:
    every_a = settings.TURNTIDE_WELFARE_CATEGORY_A_BREAK
    every_case = settings.TURNTIDE_WELFARE_CASES_BREAK
    return (category_a > 0 and category_a % every_a == 0) or (
        assessed > 0 and assessed % every_case == 0
    )


def today_for(analyst: User) -> Day:
    assessments = list(_today(analyst).values_list("category", "assessed_at", "started_at"))
    category_a = sum(1 for category, _at, _start in assessments if category == "A")
    working = sum(
        ((at - start).total_seconds() for _c, at, start in assessments if start is not None),
        0.0,
    )
    return Day(
        assessed=len(assessments),
        category_a=category_a,
        minutes_working=round(working / 60),
        break_due=_break_due(len(assessments), category_a),
    )


def pause_remaining(analyst: User) -> int:
    """Whole minutes before this analyst's next claim, after a break was suggested."""
    day = today_for(analyst)
    if not day.break_due:
        return 0
    last = _today(analyst).order_by("-assessed_at").values_list("assessed_at", flat=True).first()
    if last is None:
        return 0
    resume = last + timedelta(minutes=settings.TURNTIDE_WELFARE_PAUSE_MINUTES)
    return max(0, math.ceil((resume - timezone.now()).total_seconds() / 60))


@dataclass(frozen=True)
class TeamDay:
    analysts: int
    assessed: int
    category_a: int
    median_per_analyst: float
    past_a_threshold: int


def team_today() -> TeamDay:
    """The team's day as aggregates: nobody is ranked or named."""
    per_analyst = list(
        _today()
        .values("analyst")
        .annotate(n=Count("pk"), a=Count("pk", filter=Q(category="A")))
        .values_list("n", "a")
    )
    threshold = settings.TURNTIDE_WELFARE_CATEGORY_A_BREAK
    return TeamDay(
        analysts=len(per_analyst),
        assessed=sum(n for n, _a in per_analyst),
        category_a=sum(a for _n, a in per_analyst),
        median_per_analyst=statistics.median([n for n, _a in per_analyst]) if per_analyst else 0,
        past_a_threshold=sum(1 for _n, a in per_analyst if a >= threshold),
    )
