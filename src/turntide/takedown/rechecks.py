"""Availability re-checks of actioned URLs, scheduled as rows and claimed by conditional update.

A check is due from its `due_at`; a worker claims it by setting `claimed_at` only where the
value it read is still there, so two workers never run one check. A worker that dies
mid-check leaves a claim that lapses after `CLAIM_LEASE`, and the next run takes it over:
nothing pending is lost. Offline twice in a row confirms the removal; the removal time is
the first check of that run, so it is found within one check interval of the real removal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.cases.removal import confirm_removal
from turntide.reports.models import ReportedURL
from turntide.takedown.checker import (
    OFFLINE,
    REDIRECT,
    UNKNOWN,
    CheckerConfig,
    CheckResult,
    InvalidTarget,
    check,
)
from turntide.takedown.models import HostingTrace, Recheck, Takedown
from turntide.takedown.traces import Tracer, host_to_trace, store_trace, trace_host
from turntide.takedown.tracing import TraceError

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=15)
OFFLINE_CHECKS_TO_CONFIRM = 2

# Checks one URL: `check_url` in production; tests pass a checker configured for loopback.
Checker = Callable[[str], CheckResult]


def check_url(url: str) -> CheckResult:
    return check(url, CheckerConfig.from_settings())


def schedule_check(takedown: Takedown, due_at: datetime) -> Recheck:
    return Recheck.objects.create(takedown=takedown, due_at=due_at)


def claim_next(now: datetime) -> Recheck | None:
    """Claim the most overdue unclaimed (or abandoned) check; None when none is due."""
    pending = Recheck.objects.filter(checked_at=None, due_at__lte=now).filter(
        Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_LEASE)
    )
    for pk, claimed_at in pending.order_by("due_at", "pk").values_list("pk", "claimed_at")[:20]:
        won = Recheck.objects.filter(pk=pk, checked_at=None, claimed_at=claimed_at).update(
            claimed_at=now
        )
        if won == 1:
            return Recheck.objects.select_related("takedown__case").get(pk=pk)
    return None


def run_due_checks(
    now: datetime, *, checker: Checker = check_url, tracer: Tracer = trace_host, limit: int = 200
) -> int:
    """Run up to `limit` due checks; return how many ran. One failing check skips only itself
    (its claim lapses and a later run retries it)."""
    ran = 0
    while ran < limit and (recheck := claim_next(now)) is not None:
        try:
            run_check(recheck, now, checker, tracer)
        except Exception:
            logger.exception("re-check of case %s failed", recheck.takedown.case.code)
        ran += 1
    return ran


def address_to_check(case: URLCase) -> str:
    """The address as first reported: the canonical form drops the port (no part of a case's
    identity), and the server answers to the spelling it was found at."""
    first = (
        ReportedURL.objects.filter(casereport__case=case)
        .order_by("pk")
        .values_list("submitted", flat=True)
        .first()
    )
    if not first or not first.strip():
        return case.canonical_url
    return first.strip() if "://" in first else f"http://{first.strip()}"


def _check(case: URLCase, checker: Checker, now: datetime) -> CheckResult:
    """Check the reported spelling, else the canonical one; `unknown` if neither can be."""
    tried = dict.fromkeys([address_to_check(case), case.canonical_url])
    problem = ""
    for address in tried:
        try:
            return checker(address)
        except InvalidTarget as error:
            problem = str(error)
    return CheckResult(case.canonical_url, UNKNOWN, None, None, problem, now)


def _current_host(case: URLCase) -> str:
    latest = HostingTrace.objects.filter(case=case).order_by("-traced_at", "-pk").first()
    return latest.host if latest is not None else (host_to_trace(case) or "")


def run_check(recheck: Recheck, now: datetime, checker: Checker, tracer: Tracer) -> None:
    """Check one URL, keep the result, then confirm removal or schedule the next check."""
    takedown = recheck.takedown
    case = takedown.case
    result = _check(case, checker, now)
    new_host = ""
    if result.state == REDIRECT and result.location:
        target = urlsplit(result.location).hostname or ""
        new_host = target if target and target != _current_host(case) else ""
    new_trace = None
    if new_host:
        try:
            new_trace = tracer(new_host)
        except TraceError:  # DNS unreachable: the next check traces it again
            logger.warning("could not trace %s for case %s", new_host, case.code)
    with transaction.atomic():
        done = Recheck.objects.filter(pk=recheck.pk, checked_at=None).update(
            checked_at=now,
            state=result.state,
            http_status=result.http_status,
            location=result.location or "",
            detail=(result.detail or "")[:300],
        )
        if done != 1:
            return
        record(
            "system",
            "takedown.checked",
            object_type="case",
            object_code=case.code,
            details={"state": result.state, "http_status": result.http_status},
        )
        if new_trace is not None:
            store_trace(case, new_trace, HostingTrace.Reason.REDIRECT)
        advance(Takedown.objects.select_for_update().get(pk=takedown.pk), result.state, now)


def advance(takedown: Takedown, state: str, now: datetime) -> None:
    """Count one check's result (the worker's or a person's): confirm, or schedule the next."""
    case = URLCase.objects.get(pk=takedown.case_id)
    if takedown.closed_at is not None or case.status != URLCase.Status.ACTIONED:
        close(takedown, now)
        return
    if state != OFFLINE:
        takedown.offline_since, takedown.offline_checks = None, 0
    else:
        takedown.offline_since = takedown.offline_since or now
        takedown.offline_checks += 1
    takedown.save(update_fields=["offline_since", "offline_checks"])
    if takedown.offline_checks >= OFFLINE_CHECKS_TO_CONFIRM and takedown.offline_since:
        confirm_removal(case, takedown.offline_since)
        close(takedown, now)
        return
    schedule_check(takedown, now + timedelta(hours=settings.TURNTIDE_RECHECK_EVERY_HOURS))


def close(takedown: Takedown, now: datetime) -> None:
    """No more checks or escalation: the case was removed, or is no longer actioned."""
    if takedown.closed_at is None:
        takedown.closed_at, takedown.escalate_at = now, None
        takedown.save(update_fields=["closed_at", "escalate_at"])
