"""Escalation of content still up after its route's time, and the overdue list for analysts.

Each route waits TURNTIDE_ESCALATE_AFTER_HOURS[route] before every step: a re-notice to the
first recipient, then the upstream provider or registrar, then the police. A route not
named there does not escalate. Steps are claimed by conditional update, so two workers
never send one step twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.takedown.actions import escalation_due, queue_step
from turntide.takedown.models import Takedown
from turntide.takedown.routing import LAST_STEP, AbuseLookup

logger = logging.getLogger(__name__)


def escalate_due(now: datetime, *, lookup: AbuseLookup | None = None) -> int:
    """Take the next step for every open takedown whose time has come; return how many.

    One takedown that fails skips only itself, so the rest still go; the notices of each step
    are queued for the outbox."""
    due = Takedown.objects.filter(
        closed_at=None, escalate_at__lte=now, case__status=URLCase.Status.ACTIONED
    ).select_related("case", "trace", "partner")
    taken = 0
    for takedown in due:
        try:
            if take_next_step(takedown, now, lookup):
                taken += 1
        except Exception:
            logger.exception("escalation of case %s failed", takedown.case.code)
    return taken


def take_next_step(takedown: Takedown, now: datetime, lookup: AbuseLookup | None) -> bool:
    """Claim and take this takedown's next step; False when another worker claimed it.

    All or nothing: when the step fails, its claim is undone and the next run tries again."""
    step = takedown.escalation_step + 1
    next_at = escalation_due(takedown.route, now) if step < LAST_STEP else None
    with transaction.atomic():
        claimed = Takedown.objects.filter(
            pk=takedown.pk,
            closed_at=None,
            escalation_step=takedown.escalation_step,
            escalate_at=takedown.escalate_at,
        ).update(escalation_step=step, escalate_at=next_at)
        if claimed != 1:
            return False
        takedown.escalation_step, takedown.escalate_at = step, next_at
        queue_step(takedown, step, now, lookup)
        record(
            "system",
            "takedown.escalated",
            object_type="case",
            object_code=takedown.case.code,
            details={"step": step, "route": takedown.route},
        )
    return True


def overdue(now: datetime) -> QuerySet[Takedown]:
    """Open takedowns of actioned cases still up longer than their route allows, oldest first."""
    late = Q(pk__in=[])
    for route, hours in settings.TURNTIDE_ESCALATE_AFTER_HOURS.items():
        late |= Q(route=route, started_at__lte=now - timedelta(hours=hours))
    return (
        Takedown.objects.filter(late, closed_at=None, case__status=URLCase.Status.ACTIONED)
        .select_related("case", "trace", "partner")
        .order_by("started_at", "pk")
    )
