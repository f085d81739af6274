"""Background jobs of the accounts app."""

from __future__ import annotations

from django.tasks import task

from turntide.accounts.ratelimits import forget_ended_windows
from turntide.schedule.registry import periodic


@periodic(every_minutes=60)
@task()
def forget_ended_rate_windows() -> int:
    """Rate-limit counts are needed only while their window lasts."""
    return forget_ended_windows()
