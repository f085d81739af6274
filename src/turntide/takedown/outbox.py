"""The outbox's sender: claim a mail, send it, record it, each in its own transaction.

A sender claims a pending mail by a conditional UPDATE (pending to sending) that commits
before anything leaves, then sends, then records the send. A sender that dies between
claim and record leaves the mail `sending`; after CLAIM_LEASE another sender takes it over
and sends it again, with the same Message-ID. So a notice is never lost, and the one case
where it goes twice (a crash after the mail server accepted it and before the record) gives
two copies of one message that mail clients and abuse desks de-duplicate by Message-ID:
at-least-once delivery, honestly. A send the mail server refuses is `failed`, with its
reason, until staff retry it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.takedown.models import Mail, Notice
from turntide.takedown.notices import compose_due

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)

# How a rendered mail leaves the hotline: SMTP through Django's mailer by default.
Deliver = Callable[[EmailMessage], object]


def send_email(message: EmailMessage) -> object:
    return message.send()


def claim_mail(now: datetime) -> Mail | None:
    """Claim the oldest pending mail, or one whose sender died; None when none waits."""
    ready = Q(status=Mail.Status.PENDING) | Q(
        status=Mail.Status.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    candidates = Mail.objects.filter(ready).order_by("created_at", "pk")
    for pk, status, claimed_at in candidates.values_list("pk", "status", "claimed_at")[:20]:
        won = Mail.objects.filter(pk=pk, status=status, claimed_at=claimed_at).update(
            status=Mail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if won == 1:
            return Mail.objects.get(pk=pk)
    return None


def message_of(mail: Mail) -> EmailMessage:
    message = EmailMessage(
        mail.subject, mail.body, to=[mail.recipient], headers={"Message-ID": mail.message_id}
    )
    for attachment in mail.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    return message


def _reason(error: Exception) -> str:
    """Why a send failed, on one line that fits `Mail.last_error`."""
    words = " ".join(str(error).split())
    reason = f"{type(error).__name__}: {words}" if words else type(error).__name__
    return reason[: Mail._meta.get_field("last_error").max_length]


def send_pending(now: datetime, deliver: Deliver = send_email, limit: int = 100) -> int:
    """Send up to `limit` mails of the outbox; return how many were sent.

    Call it outside any transaction, so each claim commits before its mail leaves."""
    sent = 0
    while sent < limit and (mail := claim_mail(now)) is not None:
        try:
            deliver(message_of(mail))
        except Exception as error:  # smtplib's errors, a refused address, a broken relay
            logger.warning("mail %s was not sent", mail.code)
            _record(mail, now, error)
            continue
        _record(mail, now, None)
        sent += 1
    return sent


@transaction.atomic
def _record(mail: Mail, now: datetime, error: Exception | None) -> None:
    """The outcome of one send, unless another sender took the mail over meanwhile."""
    claim = Mail.objects.filter(pk=mail.pk, status=Mail.Status.SENDING, claimed_at=mail.claimed_at)
    if error is not None:
        reason = _reason(error)
        if claim.update(status=Mail.Status.FAILED, last_error=reason) != 1:
            return
        mail.notices.update(status=Notice.Status.FAILED, detail=reason)
    else:
        if claim.update(status=Mail.Status.SENT, sent_at=now, body="", attachments=[]) != 1:
            return
        mail.notices.update(status=Notice.Status.SENT, sent_at=now, detail="")
    for notice in mail.notices.select_related("takedown__case"):
        takedown = notice.takedown
        if error is None:
            # The first notice sent starts the case's removal clock (unset, or left from an
            # earlier removal of content that has since reappeared).
            not_yet = Q(actioned_at__isnull=True) | Q(actioned_at__lt=takedown.started_at)
            URLCase.objects.filter(not_yet, pk=takedown.case_id).update(
                actioned_at=now, removed_at=None
            )
        record(
            "system",
            "takedown.notice_sent" if error is None else "takedown.notice_failed",
            object_type="case",
            object_code=takedown.case.code,
            details={"notice": notice.code, "mail": mail.code, "sha256": mail.content_sha256},
        )


def dispatch(now: datetime, deliver: Deliver = send_email) -> int:
    """Group what has waited long enough, then send the outbox; return how many mails left."""
    compose_due(now)
    return send_pending(now, deliver)
