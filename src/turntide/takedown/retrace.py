"""Hosting that moves: open takedowns are traced again, and re-routed when the host moved.

Every TURNTIDE_RETRACE_HOURS, and just before a notice goes when the last trace is older than
FRESH, the host of each open takedown is traced again (outside any transaction: DNS is slow).
Each trace is kept (`reason=retrace`), so the case's timeline shows where it was hosted when.
When the network, the country or the CDN changed, the takedown takes the new route (a partner
hotline, home or abroad), is flagged with the time (`hosting_moved_at`), its notices still
waiting for the old contact are cancelled, and this step's notice is queued for the new one
(at once when one was waiting: that one had had its hold time). A name that no longer
resolves has not moved: its content may be gone, which the availability checks tell.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.takedown.actions import escalation_due
from turntide.takedown.models import HostingTrace, Notice, Takedown
from turntide.takedown.notices import queue_notice
from turntide.takedown.routing import AbuseLookup, choose_route, removers
from turntide.takedown.traces import Tracer, store_trace, trace_host
from turntide.takedown.tracing import TraceError

logger = logging.getLogger(__name__)

# A trace younger than this is fresh enough to send a notice on.
FRESH = timedelta(hours=1)


def _where(trace: HostingTrace) -> tuple[int | None, str, str]:
    return trace.asn, trace.country, trace.cdn


def retrace(
    takedown: Takedown,
    now: datetime,
    tracer: Tracer = trace_host,
    lookup: AbuseLookup | None = None,
) -> bool:
    """Trace one takedown's host again; re-route it if it moved. Returns whether it moved."""
    try:
        found = tracer(takedown.trace.host)
    except TraceError:  # DNS unreachable: the next run tries again
        logger.warning("could not trace case %s again", takedown.case.code)
        return False
    with transaction.atomic():
        locked = (
            Takedown.objects.select_for_update().select_related("trace", "case").get(pk=takedown.pk)
        )
        if locked.closed_at is not None:
            return False
        before = locked.trace
        trace = store_trace(locked.case, found, HostingTrace.Reason.RETRACE)
        next_at = now + timedelta(hours=settings.TURNTIDE_RETRACE_HOURS)
        # A name that no longer resolves has not moved: it may be gone, which checks tell.
        if not trace.addresses or _where(trace) == _where(before):
            Takedown.objects.filter(pk=locked.pk).update(retrace_at=next_at)
            return False
        _reroute(locked, before, trace, now, next_at, lookup)
    return True


def _reroute(
    takedown: Takedown,
    before: HostingTrace,
    trace: HostingTrace,
    now: datetime,
    next_at: datetime,
    lookup: AbuseLookup | None,
) -> None:
    route, partner = choose_route(trace)
    if route != takedown.route and takedown.escalation_step == 0:
        takedown.escalate_at = escalation_due(route, now)  # the new route's clock
    takedown.trace, takedown.route, takedown.partner = trace, route, partner
    takedown.hosting_moved_at, takedown.retrace_at = now, next_at
    takedown.save(
        update_fields=["trace", "route", "partner", "hosting_moved_at", "retrace_at", "escalate_at"]
    )
    waiting = takedown.notices.filter(status=Notice.Status.QUEUED, mail=None)
    cancelled = waiting.exclude(recipient_type=Notice.Recipient.POLICE).update(
        status=Notice.Status.CANCELLED, detail="the hosting moved before it was sent"
    )
    record(
        "system",
        "takedown.hosting_moved",
        object_type="case",
        object_code=takedown.case.code,
        details={
            "from": {"asn": before.asn, "country": before.country, "cdn": before.cdn},
            "to": {"asn": trace.asn, "country": trace.country, "cdn": trace.cdn},
            "route": route,
        },
    )
    # A notice that was waiting has had its hold: the new contact's goes without another.
    for who in removers(takedown, takedown.escalation_step, lookup):
        queue_notice(takedown, who, takedown.escalation_step, now, hold=not cancelled)


def _open() -> Q:
    return Q(closed_at=None, case__status=URLCase.Status.ACTIONED)


def retrace_due(
    now: datetime, *, tracer: Tracer = trace_host, lookup: AbuseLookup | None = None
) -> int:
    """Trace again every open takedown whose time has come; return how many moved.

    Each is claimed by moving its `retrace_at` on (a conditional update), so two workers
    never trace one twice in a run."""
    every = timedelta(hours=settings.TURNTIDE_RETRACE_HOURS)
    due = Q(retrace_at__lte=now) | Q(retrace_at=None, started_at__lte=now - every)
    moved = 0
    for takedown in Takedown.objects.filter(_open(), due).select_related("trace", "case"):
        claimed = Takedown.objects.filter(pk=takedown.pk, retrace_at=takedown.retrace_at).update(
            retrace_at=now + every
        )
        if claimed == 1:
            moved += retrace(takedown, now, tracer, lookup)
    return moved


def retrace_before_notices(
    now: datetime, *, tracer: Tracer = trace_host, lookup: AbuseLookup | None = None
) -> int:
    """Trace again the hosts whose queued notices are about to be grouped, when their last
    trace is older than FRESH; return how many moved."""
    about_to_go = Notice.objects.filter(
        status=Notice.Status.QUEUED, mail=None, hold_until__lte=now
    ).values("takedown_id")
    stale = Takedown.objects.filter(
        _open(), pk__in=about_to_go, trace__traced_at__lt=now - FRESH
    ).select_related("trace", "case")
    return sum(retrace(takedown, now, tracer, lookup) for takedown in stale)
