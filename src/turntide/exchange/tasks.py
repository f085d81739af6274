"""The worker's exchange round, every TURNTIDE_ICCAM_INTERVAL_MINUTES while the exchange is on."""

from __future__ import annotations

import logging

from django.conf import settings
from django.tasks import task

from turntide.exchange.client import ExchangeConfig, ExchangeError
from turntide.exchange.sync import run_round
from turntide.schedule.registry import periodic

logger = logging.getLogger(__name__)


@task()
def exchange_with_iccam() -> bool:
    """One round; a failed one is stored and logged, and the next interval tries again."""
    config = ExchangeConfig.from_settings()
    if config is None:
        return False
    try:
        run_round(config)
    except ExchangeError as error:
        logger.warning("ICCAM exchange round failed: %s", error)
        return False
    return True


def schedule() -> None:
    """Register the round with the worker's scheduler, when the exchange is configured."""
    if settings.TURNTIDE_ICCAM_URL:
        periodic(every_minutes=settings.TURNTIDE_ICCAM_INTERVAL_MINUTES)(exchange_with_iccam)


schedule()
