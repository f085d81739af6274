from __future__ import annotations

from django.db import models


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
