"""The audit event: one row per action, chained by HMAC-SHA256 so that any edit shows.

Rows are never updated or deleted by Turntide: `save()` refuses an existing row and the
queryset refuses bulk `update()` and `delete()`.  The chain catches what bypasses the ORM,
and its key (kept outside the database, see `audit.keys`) stops a forger recomputing it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.audit.keys import sign

GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit event."""


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class Algorithm(models.TextChoices):
    # Events written before the chain had a key: verified, but anyone could recompute them.
    SHA256 = "sha256", _("SHA-256, unkeyed")
    HMAC_SHA256 = "hmac-sha256", "HMAC-SHA256"


class Event(models.Model):
    """One audited action: who did what to which object, and when."""

    sequence = models.BigAutoField(_("number"), primary_key=True)
    occurred_at = models.DateTimeField(_("occurred"), default=timezone.now)
    actor = models.CharField(
        _("who"), max_length=150, help_text=_("Username, or 'system' or 'public'.")
    )
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_code = models.CharField(_("object"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Unique: two writers racing for the same predecessor cannot fork the chain.
    previous_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    algorithm = models.CharField(_("algorithm"), max_length=16, choices=Algorithm.choices)
    key_id = models.CharField(
        _("key id"),
        max_length=16,
        blank=True,
        help_text=_("Id of the key that signed it (audit.keys)."),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # Serves "everything that happened to this case" on the case page.
            models.Index(fields=["object_type", "object_code"], name="audit_event_object_idx"),
            # The trail's filters, newest first a page at a time (audit.trail): each serves
            # "WHERE column = %s AND sequence < %s ORDER BY sequence DESC LIMIT n".
            models.Index(fields=["actor", "-sequence"], name="audit_event_actor_idx"),
            models.Index(fields=["action", "-sequence"], name="audit_event_action_idx"),
            models.Index(fields=["object_code", "-sequence"], name="audit_event_code_idx"),
            # The trail's date range.
            models.Index(fields=["occurred_at"], name="audit_event_occurred_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor} {self.action} {self.object_code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def compute_hash(self, key: bytes | None) -> str:
        """MAC under `key` of this event's content and its predecessor's hash (None: the
        plain SHA-256 of unkeyed events)."""
        content = {
            "occurred_at": self.occurred_at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_code": self.object_code,
            "details": self.details,
            "previous_hash": self.previous_hash,
        }
        encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        if key is None:
            return hashlib.sha256(encoded.encode()).hexdigest()
        return sign(key, encoded)


class Verification(models.Model):
    """The outcome of one walk of the chain (audit.actions.do_verify_chain), kept so that the
    trail's page shows the last check without walking the chain. Kept beside the chain, not
    in it: a verification leaves the chain, and so its head, as it found them."""

    checked_at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=150)
    intact = models.BooleanField()
    head = models.BigIntegerField(null=True, help_text="Sequence checkpointed, when intact.")
    problem = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{'intact' if self.intact else 'broken'} at {self.checked_at:%Y-%m-%d %H:%M}"
