"""What the ICCAM exchange keeps: its rounds, every write it sent, the content items it
shares with ICCAM, and the vocabulary that turns Turntide's grading into ICCAM's ids.

A write is stored before it is sent (`Call`), under a key naming what it does, so neither a
crash nor the next round can send it twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import URLCase


class Round(models.Model):
    """One exchange round: export, import and actions, with its counts and how it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    exported = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # Where the next round starts reading ICCAM's no-reference queue (its assignment date).
    import_cursor = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class Call(models.Model):
    """One write to ICCAM and its outcome, stored before it is sent.

    400, 401, 403 and 500 answers are final (`failed`); other answers are sent again next
    round (`retry`). A write whose answer never came (`unconfirmed`, or `sending` left by a
    crash) is never sent blindly again: the exchange reads ICCAM back first where it can.
    """

    class Operation(models.TextChoices):
        INSERT = "insert", _("Report inserted")
        CLAIM = "claim", _("Reference claimed")
        ACTION = "action", _("Action posted")

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Refused by ICCAM")
        RETRY = "retry", _("To send again")
        UNCONFIRMED = "unconfirmed", _("Sent, answer lost")

    key = models.CharField(max_length=100, unique=True)
    operation = models.CharField(max_length=10, choices=Operation.choices)
    case = models.ForeignKey(URLCase, on_delete=models.CASCADE, related_name="iccam_calls")
    content_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENDING)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.JSONField(default=dict, blank=True)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="calls")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.key} {self.status}"


class ExchangedItem(models.Model):
    """One ICCAM content item and the case it is about, inserted by us or imported."""

    class Origin(models.TextChoices):
        INSERTED = "inserted", _("Inserted by this hotline")
        IMPORTED = "imported", _("Imported from ICCAM")

    case = models.ForeignKey(URLCase, on_delete=models.CASCADE, related_name="iccam_items")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    report_id = models.BigIntegerField()
    content_id = models.BigIntegerField(unique=True)
    assigned_country = models.CharField(max_length=2, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    # The partner hotline's last assessment, by ICCAM's names: theirs, never ours.
    partner_assessment = models.JSONField(default=dict, blank=True)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="items")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.content_id}"


class IccamTerm(models.Model):
    """One value of an ICCAM lookup, seeded from the v3 enumerations and refreshed by
    `turntide iccam lookups`; `listed` turns False when ICCAM no longer answers it."""

    lookup = models.CharField(_("lookup"), max_length=30)
    iccam_id = models.IntegerField(_("ICCAM id"))
    name = models.CharField(_("name"), max_length=200)
    listed = models.BooleanField(_("listed by ICCAM"), default=True)

    class Meta:
        ordering = ["lookup", "iccam_id"]
        verbose_name = _("ICCAM term")
        verbose_name_plural = _("ICCAM terms")
        constraints = [
            models.UniqueConstraint(fields=["lookup", "iccam_id"], name="iccam_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lookup} {self.iccam_id} {self.name}"


class VocabularyMapping(models.Model):
    """Which ICCAM value one Turntide value is sent as; an administrator may change it."""

    lookup = models.CharField(_("lookup"), max_length=30)
    turntide_value = models.CharField(_("Turntide value"), max_length=40)
    term = models.ForeignKey(
        IccamTerm, models.PROTECT, verbose_name=_("ICCAM term"), related_name="+"
    )

    class Meta:
        ordering = ["lookup", "turntide_value"]
        verbose_name = _("vocabulary mapping")
        verbose_name_plural = _("vocabulary mappings")
        constraints = [
            # Its index serves the lookup of one value while a report is built.
            models.UniqueConstraint(
                fields=["lookup", "turntide_value"], name="vocabulary_mapping_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lookup}: {self.turntide_value} -> {self.term.iccam_id}"

    def clean(self) -> None:
        if self.term_id is not None and self.term.lookup != self.lookup:
            raise ValidationError({"term": _("Choose a value of the same lookup.")})
