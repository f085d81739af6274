"""Roles are groups with explicit permissions; this table is the single source of truth."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

ANALYST = "analyst"
SENIOR_ANALYST = "senior analyst"
MANAGER = "manager"
ADMINISTRATOR = "administrator"
RESEARCHER = "researcher"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ANALYST: ("work_queue", "assess_case"),
    SENIOR_ANALYST: ("work_queue", "assess_case", "verify_assessment"),
    MANAGER: ("work_queue", "view_statistics", "view_audit_trail"),
    ADMINISTRATOR: ("view_audit_trail", "manage_staff", "view_statistics"),
    RESEARCHER: ("download_research_extract",),
}
# Roles whose members may open /admin/ (Django's is_staff flag).
ADMIN_SITE_ROLES = frozenset({ADMINISTRATOR})


def ensure_roles(**_: Any) -> None:
    """Create or correct each role group so it holds exactly its permissions (idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(
            content_type__app_label="accounts", codename__in=codenames
        )
        group.permissions.set(permissions)
