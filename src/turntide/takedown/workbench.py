"""Reads of the removal workbench: every actioned case awaiting removal, its stage, next step.

A stage is derived from the rows that already tell it (the takedown, its latest notice, the
replies and checks), never stored, so it cannot drift from what happened.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import URLCase
from turntide.takedown.models import Mail, Notice, NoticeResponse, Provider, Recheck, Takedown

LIMIT = 200


class Stage(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    POLICE_HOLD = "police_hold", _("Held for the police")
    NEEDS_CONTACT = "needs_contact", _("Needs a contact")
    SEND_FAILED = "send_failed", _("Sending failed")
    MOVED = "moved", _("Hosting moved")
    IN_OUTBOX = "in_outbox", _("In the outbox")
    REPLY = "reply", _("Reply to check")
    CONFIRMING = "confirming", _("Offline once")
    ESCALATED = "escalated", _("Escalated")
    WAITING = "waiting", _("Waiting for the host")


NEXT_STEP = {
    Stage.NOT_STARTED: _("Start the removal: trace the host, then notify."),
    Stage.POLICE_HOLD: _("Wait for the police, or release the hold when they agree."),
    Stage.NEEDS_CONTACT: _("Add the abuse contact (or correct one that bounced), then send."),
    Stage.SEND_FAILED: _("Correct the contact, or retry the send."),
    Stage.MOVED: _("The host moved: the notice to the new contact is on its way; check it."),
    Stage.IN_OUTBOX: _("None: the notice leaves once its hold time has passed."),
    Stage.REPLY: _("The host replied: check now, then confirm the removal."),
    Stage.CONFIRMING: _("Offline once: the next check confirms it, or confirm it now."),
    Stage.ESCALATED: _("Keep checking; refer to the partner or hold for the police if needed."),
    Stage.WAITING: _("Wait for the host; check now, or escalate if it stays up."),
}


@dataclass(frozen=True)
class Row:
    case: URLCase
    takedown: Takedown | None
    stage: str
    contact: str
    since: datetime
    suggestion: str = ""  # an address found automatically, awaiting an analyst

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def next_step(self) -> str:
        return str(NEXT_STEP[Stage(self.stage)])

    @property
    def host(self) -> str:
        if self.takedown is not None:
            return self.takedown.trace.host
        return urlsplit(self.case.canonical_url).hostname or ""

    @property
    def country(self) -> str:
        return self.takedown.trace.country if self.takedown else self.case.hosting_country


def _to_host(notices: list[Notice]) -> Notice | None:
    """The latest notice to whoever removes it (anyone but the police)."""
    found = [n for n in notices if n.recipient_type != Notice.Recipient.POLICE]
    return found[-1] if found else None


def stage_of(takedown: Takedown, now: datetime) -> str:
    """The stage of an open takedown whose notices, responses and checks are prefetched."""
    if takedown.police_hold_until is not None and takedown.police_hold_until > now:
        return Stage.POLICE_HOLD
    latest = _to_host(list(takedown.notices.all()))
    if latest is None or latest.status == Notice.Status.NO_CONTACT:
        return Stage.NEEDS_CONTACT
    if any(r.kind == NoticeResponse.Kind.BOUNCE for r in latest.responses.all()):
        return Stage.NEEDS_CONTACT  # the address bounced
    if latest.status == Notice.Status.FAILED:
        return Stage.SEND_FAILED
    moved = takedown.hosting_moved_at
    if moved is not None and (latest.sent_at is None or latest.sent_at < moved):
        return Stage.MOVED
    if latest.status == Notice.Status.QUEUED:
        return Stage.IN_OUTBOX
    checked = [c.checked_at for c in takedown.rechecks.all() if c.checked_at is not None]
    replies = [r.received_at for n in takedown.notices.all() for r in n.responses.all()]
    if replies and (not checked or max(replies) > max(checked)):
        return Stage.REPLY
    if takedown.offline_checks:
        return Stage.CONFIRMING
    if takedown.escalation_step:
        return Stage.ESCALATED
    return Stage.WAITING


def open_takedowns() -> QuerySet[Takedown]:
    """Open takedowns of actioned cases, with what their stage is read from."""
    return (
        Takedown.objects.filter(closed_at=None, case__status=URLCase.Status.ACTIONED)
        .select_related("case", "trace", "partner")
        .prefetch_related(
            Prefetch("notices", queryset=Notice.objects.prefetch_related("responses")),
            Prefetch("rechecks", queryset=Recheck.objects.exclude(checked_at=None)),
        )
        .order_by("started_at", "pk")
    )


def not_started() -> QuerySet[URLCase]:
    """Actioned cases without an open takedown: none could start (or none was asked to)."""
    running = Takedown.objects.filter(closed_at=None).values("case_id")
    return (
        URLCase.objects.filter(status=URLCase.Status.ACTIONED)
        .exclude(pk__in=running)
        .order_by("status_changed_at", "pk")
    )


def suggestions() -> dict[int, str]:
    """Addresses found automatically and not yet confirmed, by AS number."""
    waiting = Provider.objects.exclude(suggested_email="")
    return dict(waiting.values_list("asn", "suggested_email"))


def work_row(takedown: Takedown, now: datetime, found: dict[int, str] | None = None) -> Row:
    """The workbench's row of an open takedown from `open_takedowns()`."""
    latest = _to_host(list(takedown.notices.all()))
    contact = latest.recipient if latest is not None else ""
    suggestion = (suggestions() if found is None else found).get(takedown.trace.asn or 0, "")
    return Row(
        takedown.case, takedown, stage_of(takedown, now), contact, takedown.started_at, suggestion
    )


@dataclass(frozen=True)
class Bench:
    rows: list[Row]
    counts: dict[str, int]
    total: int
    failed_mails: list[Mail]


def bench(now: datetime, stage: str = "", country: str = "", search: str = "") -> Bench:
    """The workbench: rows of `stage` (all when empty) matching the filters, oldest first,
    at most LIMIT; counts by stage over the same filters."""
    takedowns = open_takedowns()
    waiting = not_started()
    if country:
        takedowns = takedowns.filter(trace__country=country.upper())
        waiting = waiting.filter(hosting_country=country.upper())
    if search:
        takedowns = takedowns.filter(
            Q(case__code__iexact=search) | Q(trace__host__icontains=search)
        )
        waiting = waiting.filter(Q(code__iexact=search) | Q(canonical_url__icontains=search))
    found = suggestions()
    rows = [work_row(takedown, now, found) for takedown in takedowns.iterator(500)]
    counts = Counter(row.stage for row in rows)
    counts[Stage.NOT_STARTED] = waiting.count()
    if stage == Stage.NOT_STARTED or not stage:
        rows += [
            Row(case, None, Stage.NOT_STARTED, "", case.status_changed_at)
            for case in waiting[:LIMIT]
        ]
    chosen = [row for row in rows if not stage or row.stage == stage]
    failed = Mail.objects.filter(status=Mail.Status.FAILED).prefetch_related(
        "notices__takedown__case"
    )
    return Bench(
        rows=chosen[:LIMIT],
        counts={value: counts[value] for value in Stage.values},
        total=sum(counts.values()),
        failed_mails=list(failed),
    )
