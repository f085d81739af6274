"""Periodic work on the audit chain: checkpoint its head often, re-verify it daily."""

from __future__ import annotations

import logging

from django.conf import settings
from django.tasks import task

from turntide.audit.actions import do_verify_chain
from turntide.audit.anchors import anchor_head
from turntide.schedule.registry import periodic

logger = logging.getLogger(__name__)


@periodic(every_minutes=settings.TURNTIDE_AUDIT_ANCHOR_MINUTES)
@task()
def anchor_audit_chain() -> None:
    """A checkpoint outside the database, so events cut off the chain's end are noticed."""
    anchor_head()


@periodic(every_minutes=24 * 60)
@task()
def verify_audit_chain() -> bool:
    broken, head = do_verify_chain("system")
    if broken is not None:
        logger.error("audit chain broken %s", broken)
        return False
    logger.info("audit chain intact; head %s", f"#{head.sequence}" if head else "empty")
    return True
