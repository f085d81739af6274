"""Email to reporters who gave an address, and the deletion of addresses no longer needed.

Tasks take database ids, never an email address, so the task queue stores none; a failed
send logs the report's reference only, since SMTP errors quote the recipient.
"""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone

from turntide.reports.models import FeedbackContact
from turntide.schedule.registry import periodic

logger = logging.getLogger(__name__)


def _send(contact: FeedbackContact, kind: str) -> bool:
    try:
        contact.send(kind)
    except OSError:  # smtplib's errors included; their text names the recipient
        logger.warning("the %s email for report %s was not sent", kind, contact.report.reference)
        return False
    return True


@task()
def send_confirmation(contact_id: int) -> bool:
    """Confirm a report to the address its reporter gave; False if it is gone or failed."""
    contact = FeedbackContact.objects.select_related("report").filter(pk=contact_id).first()
    return contact is not None and _send(contact, "confirmation")


@task()
def send_outcome_feedback(report_id: int) -> bool:
    """Tell the reporter their report has been dealt with, then forget their address.

    For the cases app to enqueue once every address of a report has been decided.
    """
    contact = FeedbackContact.objects.select_related("report").filter(report=report_id).first()
    if contact is None or not _send(contact, "feedback"):
        return False
    contact.delete()
    return True


@periodic(every_minutes=60)
@task()
def forget_expired_feedback_contacts() -> int:
    """Delete every reporter address kept longer than the hotline's retention period."""
    deleted, _ = FeedbackContact.objects.filter(delete_after__lte=timezone.now()).delete()
    if deleted:
        logger.info("deleted %d expired feedback addresses", deleted)
    return deleted
