"""An appeal: a contest of the judgement that stands for a case (see cases.appeals).

Its status moves only by the table in cases.appeals.actions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.core.codes import new_code

MAX_APPELLANT = 200
MAX_GROUNDS = 4000
MAX_DECISION_NOTES = 4000


def new_appeal_code() -> str:
    return new_code("AP")


class Appeal(models.Model):
    """One contest of one assessment, and the senior analyst's decision on it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open: awaiting a senior analyst")
        UPHELD = "upheld", _("Upheld: the judgement was changed")
        REJECTED = "rejected", _("Rejected: the judgement stands")

    class AppellantKind(models.TextChoices):
        HOST = "host", _("Hosting provider or site operator")
        MEMBER = "member", _("Member organisation")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=20, unique=True, default=new_appeal_code)
    case = models.ForeignKey(
        "cases.URLCase", on_delete=models.PROTECT, verbose_name=_("case"), related_name="appeals"
    )
    assessment = models.ForeignKey(
        "cases.Assessment",
        on_delete=models.PROTECT,
        verbose_name=_("assessment"),
        related_name="appeals",
        help_text=_("The contested assessment."),
    )
    appellant_kind = models.CharField(
        _("appellant kind"), max_length=10, choices=AppellantKind.choices
    )
    # Who contests it: an organisation, or a role within one. No personal contact details:
    # correspondence stays in the hotline's mail system.
    appellant = models.CharField(_("appellant"), max_length=MAX_APPELLANT)
    grounds = models.TextField(_("grounds"), max_length=MAX_GROUNDS)
    received_at = models.DateTimeField(_("received on"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        verbose_name=_("recorded by"),
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_notes = models.TextField(
        _("decision notes"), blank=True, max_length=MAX_DECISION_NOTES
    )
    # The judgement an upheld appeal put in place of the contested one.
    new_assessment = models.ForeignKey(
        "cases.Assessment",
        on_delete=models.PROTECT,
        verbose_name=_("new assessment"),
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [
            # Serves the senior analysts' list: open appeals, oldest first.
            models.Index(fields=["status", "received_at"], name="appeal_open_idx"),
        ]

    def __str__(self) -> str:
        return self.code
