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
