from __future__ import annotations

from django.db import models


class PeriodicJob(models.Model):
    """When a periodic task is next due; claimed by a conditional update (one enqueuer wins)."""

    name = models.CharField(max_length=200, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
