from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Capability(models.Model):
    """Holds Turntide's own permissions; no table. Roles grant these (see roles.py)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("work_queue", "Work the analyst queue and see cases"),
            ("assess_case", "Record assessments"),
            ("verify_assessment", "Verify another analyst's assessment"),
            ("view_statistics", "See the statistics dashboard"),
            ("download_research_extract", "Download de-identified research extracts"),
            ("view_audit_trail", "Read the audit trail"),
            ("manage_staff", "Create staff accounts and assign roles"),
        ]

    def __str__(self) -> str:
        return "capability"


class RateWindow(models.Model):
    """Requests counted under a rate-limit key in one fixed window (accounts.ratelimits).

    Keys name an API token, or carry a keyed hash of a client address or of a username
    typed at login, never the address or name itself; the hourly job
    forget_ended_rate_windows deletes the windows that have ended.
    """

    key = models.CharField(max_length=200)
    ends_at = models.DateTimeField()
    requests = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "ends_at"], name="one_count_per_key_and_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} until {self.ends_at:%H:%M}: {self.requests}"


class EnrolmentLink(models.Model):
    """A one-time link with which a person sets their password and enrols their authenticator.

    Only a digest of the link's token is kept (accounts.enrolment), so the database does not
    hold a usable link. Issuing a new one for the same person deletes the older ones.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links"
    )
    # Unique: serves the lookup of an opened link by its digest.
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"enrolment link for user #{self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"
