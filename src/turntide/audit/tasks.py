"""Periodic re-verification of the audit chain, so tampering is noticed without anyone asking."""

from __future__ import annotations

import logging

from django.tasks import task

from turntide.audit.actions import verify_chain
from turntide.audit.models import Event
from turntide.schedule.registry import periodic

logger = logging.getLogger(__name__)


@periodic(every_minutes=24 * 60)
@task()
def verify_audit_chain() -> bool:
    broken = verify_chain()
    if broken is not None:
        logger.error("audit chain broken at event #%s: %s", broken.sequence, broken.reason)
        return False
    # The head, written to the logs (kept outside the database), anchors the chain: events
    # cut off its end would verify as intact, but the logged head would no longer match.
    head = Event.objects.order_by("-sequence").values_list("sequence", "hash").first()
    logger.info("audit chain intact; head %s", f"#{head[0]} {head[1]}" if head else "empty")
    return True
