"""Insights reads the other apps' tables; its own records are the campaigns it evaluates.

Research extracts need no table: each download is an event in the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from turntide.core.codes import new_code


def new_campaign_code() -> str:
    return new_code("PC")


class Campaign(models.Model):
    """A prevention campaign, and the audience whose new actioned URLs it hoped to reduce.

    An empty `sexes` or `age_groups` list means no filter on that field.
    """

    code = models.CharField(max_length=20, unique=True, default=new_campaign_code)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    sexes = models.JSONField(default=list, blank=True)
    age_groups = models.JSONField(default=list, blank=True)
    self_generated_only = models.BooleanField(default=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "name"]

    def __str__(self) -> str:
        return self.name
