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


def new_export_code() -> str:
    return new_code("EX")


class CaseExport(models.Model):
    """A row-level export of cases and their standing decisions, written by the worker to a
    file under TURNTIDE_EXPORT_DIR (see insights.case_export); its status moves only by
    insights.case_export.EXPORT_TRANSITIONS."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being written"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    code = models.CharField(max_length=20, unique=True, default=new_export_code)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # Cases first reported from `start` up to and including `end` (local days).
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.code} ({self.start} to {self.end}): {self.status}"

    @property
    def filename(self) -> str:
        return f"turntide-cases-{self.start}-to-{self.end}-{self.code}.csv"


# The survey workspace's models are the insights app's too (see insights/surveys/models.py).
from turntide.insights.surveys.models import Survey, Wave  # noqa: E402

__all__ = ["Campaign", "CaseExport", "Survey", "Wave"]


class DailyJudgements(models.Model):
    """Decisive judgements of one local day, kept by PostgreSQL triggers (`insights.daily`):
    rows of +n and -n that `daily.compact` merges; only their sums mean anything."""

    day = models.DateField()
    field = models.CharField(max_length=20)
    value = models.CharField(max_length=30)
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "field", "value"], name="daily_judgements_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.field}={self.value}: {self.n:+d}"


class DailyRemovals(models.Model):
    """Cases removed on one local day, by bucket of their time to removal (`insights.daily`)."""

    day = models.DateField()
    bucket = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "bucket"], name="daily_removals_idx")]

    def __str__(self) -> str:
        return f"{self.day} bucket {self.bucket}: {self.n:+d}"
