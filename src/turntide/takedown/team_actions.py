"""Writes the removal team makes from the workbench, each audited under the staff member.

The worker's own steps (start, escalate, check, send) stay in `actions`, `escalation`,
`rechecks` and `outbox`; these reuse them, so a step taken by hand is the same step.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.cases.removal import confirm_removal
from turntide.takedown.actions import escalation_due
from turntide.takedown.checker import OFFLINE, ONLINE
from turntide.takedown.escalation import take_next_step
from turntide.takedown.models import Notice, PartnerHotline, Provider, Recheck, Takedown
from turntide.takedown.notices import queue_notice
from turntide.takedown.rechecks import advance, close, schedule_check
from turntide.takedown.routing import LAST_STEP, Addressee, Recipient, Route, removers
from turntide.takedown.tasks import read_replies, run_rechecks, send_notices, start_takedown
from turntide.takedown.workbench import Stage, open_takedowns, stage_of


class NotNow(ValueError):
    """The action does not fit the takedown as it stands; the message says why."""


def _audit(staff: User, action: str, takedown: Takedown, **details: object) -> None:
    record(
        staff,
        f"takedown.{action}",
        object_type="case",
        object_code=takedown.case.code,
        details=details,
    )


def _in_outbox(takedown: Takedown) -> bool:
    return takedown.notices.filter(status=Notice.Status.QUEUED).exists()


@transaction.atomic
def do_request_start(staff: User, case: URLCase) -> None:
    """Ask the worker to trace, route and notify an actioned case that has no removal yet."""
    if case.status != URLCase.Status.ACTIONED:
        raise NotNow("The case is not awaiting removal.")
    record(staff, "takedown.start_requested", object_type="case", object_code=case.code)
    transaction.on_commit(partial(start_takedown.enqueue, case.pk))


@transaction.atomic
def do_set_contact(staff: User, takedown: Takedown, email: str, country: str = "") -> Provider:
    """The abuse contact of the takedown's network, typed or confirmed by staff: trusted."""
    asn = takedown.trace.asn
    if asn is None:
        raise NotNow("No network is known for this host: refer it, or escalate.")
    provider, _created = Provider.objects.get_or_create(
        asn=asn, defaults={"name": takedown.trace.as_name or f"AS{asn}"}
    )
    do_edit_contact(staff, provider, email, country or provider.country or takedown.trace.country)
    _audit(staff, "contact_set", takedown, asn=asn)
    return provider


@transaction.atomic
def do_send_waiting(staff: User, provider: Provider, now: datetime) -> int:
    """Send now to a contact just set or confirmed every open case of its network that waited
    for one (no contact, a failed send or a bounce); they leave grouped in one notice."""
    waiting = [
        takedown
        for takedown in open_takedowns().filter(trace__asn=provider.asn)
        if stage_of(takedown, now) in (Stage.NEEDS_CONTACT, Stage.SEND_FAILED)
        and not _in_outbox(takedown)
    ]
    for takedown in waiting:
        do_send_notice(staff, takedown, now)
    return len(waiting)


@transaction.atomic
def do_request_mailbox_read(staff: User) -> None:
    """Ask the worker to read the abuse mailbox now rather than at its next round."""
    record(staff, "takedown.mailbox_read_requested")
    transaction.on_commit(read_replies.enqueue)


@transaction.atomic
def do_edit_contact(staff: User, provider: Provider, email: str, country: str) -> None:
    """Set (or confirm) a network's abuse address and country; a suggestion found
    automatically is settled by it."""
    confirmed = bool(provider.suggested_email) and provider.suggested_email == email
    provider.abuse_email, provider.country, provider.suggested_email = email, country.upper(), ""
    provider.save(update_fields=["abuse_email", "country", "suggested_email"])
    record(
        staff,
        "takedown.provider_contact_set",
        object_type="provider",
        object_code=str(provider.asn),
        details={"confirmed_suggestion": confirmed, "country": provider.country},
    )


@transaction.atomic
def do_send_notice(staff: User, takedown: Takedown, now: datetime) -> list[Notice]:
    """Queue the current step's notice again, to the contact known now, without a hold."""
    if _in_outbox(takedown):
        raise NotNow("A notice of this case is already in the outbox.")
    step = takedown.escalation_step
    wanted = removers(takedown, step, None)
    if not any(who.email for who in wanted):
        raise NotNow("No contact is known: add the abuse contact first.")
    queued = [queue_notice(takedown, who, step, now, hold=False) for who in wanted]
    transaction.on_commit(send_notices.enqueue)  # staff sent it: it goes now
    _audit(staff, "notice_resent", takedown, step=step)
    return queued


@transaction.atomic
def do_refer_to_partner(
    staff: User, takedown: Takedown, partner: PartnerHotline, now: datetime
) -> Notice:
    """Route the case to a partner hotline from now on and queue the referral."""
    changed = Takedown.objects.filter(pk=takedown.pk, closed_at=None).update(
        route=Route.PARTNER, partner=partner, escalate_at=escalation_due(Route.PARTNER, now)
    )
    if changed != 1:
        raise NotNow("This removal is closed.")
    takedown.refresh_from_db()
    referral = Addressee(Recipient.PARTNER, partner.email, partner.language)
    notice = queue_notice(takedown, referral, takedown.escalation_step, now, hold=False)
    _audit(staff, "referred", takedown, partner=partner.country)
    return notice


@transaction.atomic
def do_check_now(staff: User, takedown: Takedown, now: datetime) -> Recheck:
    """Bring the next availability check forward to now; the worker runs it after commit."""
    pending = takedown.rechecks.filter(checked_at=None, claimed_at=None).order_by("due_at").first()
    if pending is None:
        pending = schedule_check(takedown, now)
    else:
        Recheck.objects.filter(pk=pending.pk, claimed_at=None).update(due_at=now)
    _audit(staff, "check_requested", takedown)
    transaction.on_commit(run_rechecks.enqueue)
    return pending


@transaction.atomic
def do_record_manual_check(staff: User, takedown: Takedown, gone: bool, now: datetime) -> None:
    """A person looked (where the law lets them): it counts as the next scheduled check."""
    locked = Takedown.objects.select_for_update().get(pk=takedown.pk)
    if locked.closed_at is not None:
        raise NotNow("This removal is closed.")
    state = OFFLINE if gone else ONLINE
    found = dict(checked_at=now, state=state, detail=f"checked by hand by {staff.get_username()}")
    pending = locked.rechecks.filter(checked_at=None).order_by("due_at").first()
    if pending is None:
        Recheck.objects.create(takedown=locked, due_at=now, claimed_at=now, **found)
    else:
        Recheck.objects.filter(pk=pending.pk).update(claimed_at=now, **found)
    _audit(staff, "checked_by_hand", locked, state=state)
    advance(locked, state, now)


@transaction.atomic
def do_confirm_removed(staff: User, takedown: Takedown, removed_at: datetime) -> None:
    """Staff confirm the removal (a check they trust); the clock stops at `removed_at`."""
    case = URLCase.objects.get(pk=takedown.case_id)
    if not confirm_removal(case, removed_at):
        raise NotNow("The case is no longer awaiting removal.")
    close(takedown, removed_at)
    _audit(staff, "removal_confirmed", takedown, removed_at=removed_at.isoformat())


def do_escalate(staff: User, takedown: Takedown, now: datetime) -> None:
    """Take the next escalation step now instead of at its time."""
    if takedown.escalation_step >= LAST_STEP:
        raise NotNow("The police have been told already: there is no further step.")
    if not take_next_step(takedown, now, None):
        raise NotNow("Someone else took this step meanwhile.")
    _audit(staff, "escalated_by_hand", takedown, step=takedown.escalation_step)


@transaction.atomic
def do_hold_for_police(staff: User, takedown: Takedown, now: datetime) -> Notice:
    """Police first: refer to the police now; the host hears only after the hold."""
    until = now + timedelta(hours=settings.TURNTIDE_POLICE_HOLD_HOURS)
    changed = Takedown.objects.filter(pk=takedown.pk, closed_at=None).update(
        police_hold_until=until
    )
    if changed != 1:
        raise NotNow("This removal is closed.")
    takedown.police_hold_until = until
    police = Addressee(Recipient.POLICE, settings.TURNTIDE_POLICE_EMAIL, settings.LANGUAGE_CODE)
    notice = queue_notice(takedown, police, takedown.escalation_step, now, hold=False)
    _audit(staff, "police_hold", takedown, until=until.isoformat())
    return notice


@transaction.atomic
def do_release_police_hold(staff: User, takedown: Takedown) -> None:
    """The police agree: the host's notices go on the outbox's next run."""
    Takedown.objects.filter(pk=takedown.pk).update(police_hold_until=None)
    takedown.police_hold_until = None
    _audit(staff, "police_released", takedown)
