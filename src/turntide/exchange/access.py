"""Reads of the exchange for staff pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from turntide.cases.models import URLCase
from turntide.exchange.models import Call, ExchangedItem, Round

ROUNDS_SHOWN = 100


@dataclass(frozen=True)
class CaseState:
    """A case's place in ICCAM: its items, the writes sent for it, and the last refusal."""

    items: list[ExchangedItem]
    calls: list[Call]
    last_error: Call | None


def case_state(case: URLCase) -> CaseState | None:
    """None when the case never met ICCAM."""
    items = list(ExchangedItem.objects.filter(case=case))
    calls = list(Call.objects.filter(case=case))
    if not items and not calls:
        return None
    problems = [c for c in calls if c.status in (Call.Status.FAILED, Call.Status.UNCONFIRMED)]
    return CaseState(items, calls, problems[-1] if problems else None)


def recent_rounds() -> QuerySet[Round]:
    return Round.objects.all()[:ROUNDS_SHOWN]
