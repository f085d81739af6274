"""Writes of the takedown app: starting a removal, storing traces, recording replies.

Network work (tracing, checking, sending) is passed in as functions, so tests drive the
same code with loopback servers and scripted times.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.takedown.models import HostingTrace, Notice, NoticeResponse, Takedown
from turntide.takedown.notices import Deliver, send_email, send_notice
from turntide.takedown.rechecks import schedule_check
from turntide.takedown.routing import FIRST_NOTICE, AbuseLookup, addressees, choose_route
from turntide.takedown.traces import Tracer, host_to_trace, store_trace, trace_host


def escalation_due(route: str, since: datetime) -> datetime | None:
    hours = settings.TURNTIDE_ESCALATE_AFTER_HOURS.get(route)
    return None if hours is None else since + timedelta(hours=hours)


def send_step(
    takedown: Takedown, step: int, now: datetime, lookup: AbuseLookup | None, deliver: Deliver
) -> list[Notice]:
    """Send every notice of one step; the first one sent starts the case's removal clock."""
    sent = [
        send_notice(takedown, who, step, now, deliver) for who in addressees(takedown, step, lookup)
    ]
    if any(notice.status == Notice.Status.SENT for notice in sent):
        # Unset, or left from an earlier removal of content that has since reappeared.
        not_yet = Q(actioned_at__isnull=True) | Q(actioned_at__lt=takedown.started_at)
        URLCase.objects.filter(not_yet, pk=takedown.case_id).update(
            actioned_at=now, removed_at=None
        )
    return sent


def do_start_takedown(
    case: URLCase,
    now: datetime,
    *,
    tracer: Tracer = trace_host,
    lookup: AbuseLookup | None = None,
    deliver: Deliver = send_email,
) -> Takedown | None:
    """Trace an actioned case's host, route it, send the first notices, schedule a check.

    Idempotent: a case that has an open takedown, or is no longer actioned, is left alone, and
    so is one whose stored address has no host to trace (logged).
    """
    open_takedown = Takedown.objects.filter(case=case, closed_at=None)
    if case.status != URLCase.Status.ACTIONED or open_takedown.exists():
        return None
    host = host_to_trace(case)
    if host is None:
        return None
    found = tracer(host)
    with transaction.atomic():
        trace = store_trace(case, found, HostingTrace.Reason.ACTIONED)
        route, partner = choose_route(trace)
        try:
            with transaction.atomic():
                takedown = Takedown.objects.create(
                    case=case,
                    route=route,
                    trace=trace,
                    partner=partner,
                    started_at=now,
                    escalate_at=escalation_due(route, now),
                )
        except IntegrityError:  # another worker started it meanwhile
            return None
        record(
            "system",
            "takedown.routed",
            object_type="case",
            object_code=case.code,
            details={"route": route, "country": trace.country, "cdn": trace.cdn},
        )
        send_step(takedown, FIRST_NOTICE, now, lookup, deliver)
        schedule_check(takedown, now + timedelta(hours=settings.TURNTIDE_RECHECK_FIRST_HOURS))
    return takedown


@transaction.atomic
def do_record_response(
    staff: User, notice: Notice, kind: str, received_at: datetime, note: str = ""
) -> NoticeResponse:
    """Record a reply to a notice or its bounce, as read in the hotline's mailbox."""
    response = NoticeResponse.objects.create(
        notice=notice, kind=kind, received_at=received_at, note=note, recorded_by=staff
    )
    record(
        staff,
        f"takedown.notice_{kind}",
        object_type="case",
        object_code=notice.takedown.case.code,
        details={"notice": notice.code},
    )
    return response
