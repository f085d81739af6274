"""Writes of the takedown app: starting a removal, storing traces, recording replies.

Network work (tracing, checking) is passed in as functions, so tests drive the
same code with loopback servers and scripted times.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.takedown.models import HostingTrace, Mail, Notice, NoticeResponse, Takedown
from turntide.takedown.notices import queue_notice
from turntide.takedown.rechecks import schedule_check
from turntide.takedown.routing import FIRST_NOTICE, AbuseLookup, addressees, choose_route
from turntide.takedown.traces import Tracer, host_to_trace, store_trace, trace_host


def escalation_due(route: str, since: datetime) -> datetime | None:
    hours = settings.TURNTIDE_ESCALATE_AFTER_HOURS.get(route)
    return None if hours is None else since + timedelta(hours=hours)


def queue_step(
    takedown: Takedown, step: int, now: datetime, lookup: AbuseLookup | None
) -> list[Notice]:
    """Queue every notice of one step for the outbox, which sends them after commit."""
    return [queue_notice(takedown, who, step, now) for who in addressees(takedown, step, lookup)]


def do_start_takedown(
    case: URLCase,
    now: datetime,
    *,
    tracer: Tracer = trace_host,
    lookup: AbuseLookup | None = None,
) -> Takedown | None:
    """Trace an actioned case's host, route it, queue the first notices, schedule a check.

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
                    retrace_at=now + timedelta(hours=settings.TURNTIDE_RETRACE_HOURS),
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
        queue_step(takedown, FIRST_NOTICE, now, lookup)
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


def do_retry_mail(staff: User, mail: Mail) -> bool:
    """Put a mail that failed back in the outbox as it was (same Message-ID); False when it
    had not failed (retried already, say)."""
    with transaction.atomic():
        retried = Mail.objects.filter(pk=mail.pk, status=Mail.Status.FAILED).update(
            status=Mail.Status.PENDING, claimed_at=None, last_error=""
        )
        if retried != 1:
            return False
        mail.notices.update(status=Notice.Status.QUEUED, detail="")
        record(
            staff,
            "takedown.mail_retried",
            object_type="mail",
            object_code=mail.code,
            details={"recipient_type": mail.recipient_type, "attempts": mail.attempts},
        )
    return True
