from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import URLCase

# The PDQ distance Meta's hasher-matcher-actioner matches within by default.
DEFAULT_PDQ_THRESHOLD = 31


class HashSource(models.Model):
    """Where entries come from: the hotline's own assessments, or a partner's set.

    The PDQ threshold is per source, so a source whose hashes catch harmless look-alikes can
    be matched more tightly without touching the others.
    """

    class Trust(models.TextChoices):
        HOTLINE = "hotline", _("The hotline's own assessments")
        VERIFIED = "verified", _("Partner whose entries are verified")
        PARTNER = "partner", _("Partner, entries not verified here")

    name = models.CharField(_("name"), max_length=100, unique=True)
    trust = models.CharField(
        _("trust"), max_length=20, choices=Trust.choices, default=Trust.PARTNER
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    pdq_threshold = models.PositiveSmallIntegerField(
        _("PDQ threshold"),
        default=DEFAULT_PDQ_THRESHOLD,
        validators=[MaxValueValidator(256)],
        help_text=_("Largest PDQ Hamming distance that counts as a match (0 to 256)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("hash source")
        verbose_name_plural = _("hash sources")

    def __str__(self) -> str:
        return self.name


class HashEntry(models.Model):
    """One hash on the list, from the version it entered to the one that withdrew it.

    Deltas since V: entries added after V and still present, and entries present at V and
    withdrawn since. A change of details (a source's new threshold) withdraws the row and
    adds a new one in the same version.
    """

    class Type(models.TextChoices):
        MD5 = "md5", "MD5"
        SHA1 = "sha1", "SHA-1"
        PDQ = "pdq", "PDQ"
        PHOTODNA = "photodna", "PhotoDNA"

    class Category(models.TextChoices):
        A = "A", _("Category A")
        B = "B", _("Category B")
        C = "C", _("Category C")

    class Withdrawal(models.TextChoices):
        FALSE_POSITIVE = "false_positive", _("Matches harmless content")
        CASE_NOT_CRIMINAL = "case_not_criminal", _("Its case is no longer judged criminal")
        SOURCE_RETRACTED = "source_retracted", _("Retracted by its source")
        REPLACED = "replaced", _("Replaced by an entry with new details")

    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    value = models.CharField(_("value"), max_length=2000)
    category = models.CharField(_("category"), max_length=1, choices=Category.choices, blank=True)
    pdq_quality = models.PositiveSmallIntegerField(_("PDQ quality"), null=True, blank=True)
    source = models.ForeignKey(
        HashSource, models.PROTECT, verbose_name=_("source"), related_name="entries"
    )
    case = models.ForeignKey(
        URLCase,
        models.PROTECT,
        verbose_name=_("case"),
        null=True,
        blank=True,
        related_name="hashes",
    )
    added_version = models.PositiveIntegerField(_("added in list version"))
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    added_by = models.CharField(_("added by"), max_length=150)
    withdrawn_version = models.PositiveIntegerField(
        _("withdrawn in list version"), null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.CharField(_("withdrawn by"), max_length=150, blank=True)
    withdrawal_reason = models.CharField(
        _("withdrawal reason"), max_length=20, choices=Withdrawal.choices, blank=True
    )
    withdrawal_note = models.CharField(_("withdrawal note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("hash entry")
        verbose_name_plural = _("hash entries")
        constraints = [
            # A hash is on the list at most once at a time.
            models.UniqueConstraint(
                fields=["type", "value"],
                condition=models.Q(withdrawn_version__isnull=True),
                name="hash_entry_present_once",
            ),
        ]
        indexes = [
            # Serve deltas: what was added or withdrawn after a version.
            models.Index(fields=["added_version"], name="hash_added_idx"),
            models.Index(fields=["withdrawn_version"], name="hash_withdrawn_idx"),
            # Serves exact matching and imports: entries with these values (`value IN ...`).
            models.Index(fields=["value", "type"], name="hash_value_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.value[:16]}…"
