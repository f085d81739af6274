"""A named survey, its design, and its dated waves (uploaded files, encrypted at rest).

The models belong to the insights app (insights/models.py imports them), so their migrations
live beside the campaigns they are linked to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from turntide.core.codes import new_code


def new_survey_code() -> str:
    return new_code("SV")


def new_wave_code() -> str:
    return new_code("SW")


class Survey(models.Model):
    """A survey repeated in waves. Its design is declared once (column names, blank: none;
    `rake` holds margins as `VAR:VALUE=TOTAL,...`) and applies to every wave. The headline
    indicator (share of `indicator_column` equal to `indicator_value`) is what the linked
    campaign's page compares between the first and the last wave; `headline` keeps that
    comparison, worked out when waves or design change, so the page decrypts nothing."""

    code = models.CharField(max_length=20, unique=True, default=new_survey_code)
    name = models.CharField(max_length=120, unique=True)
    campaign = models.ForeignKey(
        "insights.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
    )
    weight = models.CharField(max_length=100, blank=True)
    strata = models.CharField(max_length=100, blank=True)
    cluster = models.CharField(max_length=100, blank=True)
    fpc = models.CharField(max_length=100, blank=True)
    rake = models.JSONField(default=list, blank=True)
    design_declared_at = models.DateTimeField(null=True, blank=True)
    indicator_label = models.CharField(max_length=120, blank=True)
    indicator_column = models.CharField(max_length=100, blank=True)
    indicator_value = models.CharField(max_length=100, blank=True)
    headline = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        default_permissions = ()
        permissions = [("analyse_surveys", "Upload survey files and estimate from them")]

    def __str__(self) -> str:
        return self.name


class Wave(models.Model):
    """One upload: the survey's file for one fieldwork date, Fernet-encrypted in `content`."""

    code = models.CharField(max_length=20, unique=True, default=new_wave_code)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    fielded_on = models.DateField()
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    rows = models.PositiveIntegerField()
    columns = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Indexed: the retention job deletes the waves uploaded before a cut-off.
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["fielded_on", "uploaded_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.survey} ({self.fielded_on})"
