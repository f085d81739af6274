"""Background work of removal: start a takedown once a case is actioned; send the outbox;
re-check; escalate."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from turntide.cases.models import URLCase
from turntide.schedule.registry import periodic
from turntide.takedown.actions import do_start_takedown
from turntide.takedown.escalation import escalate_due
from turntide.takedown.mailbox import MailboxError, read_mailbox
from turntide.takedown.outbox import dispatch
from turntide.takedown.rechecks import run_due_checks
from turntide.takedown.retrace import retrace_before_notices, retrace_due
from turntide.takedown.traces import rdap_lookup
from turntide.takedown.tracing import TraceError

logger = logging.getLogger(__name__)


TRACE_RETRY = timedelta(minutes=15)
TRACE_ATTEMPTS = 8


@task()
def start_takedown(case_id: int, attempt: int = 1) -> bool:
    """Trace, route and notify for one actioned case; False if there was nothing to start.

    When DNS cannot be asked, nothing is stored and the task comes back later, a few times.
    """
    case = URLCase.objects.filter(pk=case_id).first()
    if case is None:
        return False
    try:
        return do_start_takedown(case, timezone.now(), lookup=rdap_lookup()) is not None
    except TraceError:
        if attempt >= TRACE_ATTEMPTS:
            logger.error("gave up tracing case %s after %d attempts", case.code, attempt)
            return False
        logger.warning("could not trace case %s; trying again later", case.code)
        later = start_takedown.using(run_after=timezone.now() + TRACE_RETRY)
        later.enqueue(case_id, attempt + 1)
        return False


@periodic(every_minutes=5)
@task()
def run_rechecks() -> int:
    return run_due_checks(timezone.now())


@periodic(every_minutes=15)
@task()
def escalate_overdue() -> int:
    return escalate_due(timezone.now(), lookup=rdap_lookup())


@periodic(every_minutes=1)
@task()
def send_notices() -> int:
    """Trace again the hosts about to be noticed on an old trace, then run the outbox."""
    now = timezone.now()
    retrace_before_notices(now, lookup=rdap_lookup())
    return dispatch(now)


@periodic(every_minutes=60)
@task()
def retrace_hosting() -> int:
    return retrace_due(timezone.now(), lookup=rdap_lookup())


@periodic(every_minutes=5)
@task()
def read_replies() -> int:
    """Replies and bounces from the abuse mailbox, when TURNTIDE_IMAP_HOST is set."""
    try:
        return read_mailbox(timezone.now())
    except MailboxError as error:
        logger.warning("could not read the abuse mailbox: %s", error)
        return 0
