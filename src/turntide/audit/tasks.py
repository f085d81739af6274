"""Periodic re-verification of the audit chain, so tampering is noticed without anyone asking."""

from __future__ import annotations

import logging

from django.tasks import task

from turntide.audit.actions import verify_chain
from turntide.schedule.registry import periodic

logger = logging.getLogger(__name__)


@periodic(every_minutes=24 * 60)
@task()
def verify_audit_chain() -> bool:
    broken = verify_chain()
    if broken is not None:
        logger.error("audit chain broken at event #%s: %s", broken.sequence, broken.reason)
        return False
    return True
