"""Roles are groups with explicit permissions; this table is the single source of truth.

A bare codename is one of Turntide's capabilities (accounts.Capability); `app.codename`
names a model permission, for what administrators edit in /admin/.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ANALYST = "analyst"
SENIOR_ANALYST = "senior analyst"
MANAGER = "manager"
ADMINISTRATOR = "administrator"
RESEARCHER = "researcher"
# A member organisation's own administrator (which organisation: the user's Membership).
MEMBER_ADMINISTRATOR = "member administrator"

ADMINISTRATOR_EDITS = (
    "reports.view_hotlineguidance",
    "reports.add_hotlineguidance",
    "reports.change_hotlineguidance",
    *(
        f"reports.{action}_{model}"
        for model in ("guidancetext", "otheragency")
        for action in ("view", "add", "change", "delete")
    ),
    *(f"members.{action}_organisation" for action in ("view", "add", "change")),
    "members.view_apitoken",
    # Hash list: sources and their thresholds; entries are read-only but for withdrawal.
    *(f"hashes.{action}_hashsource" for action in ("view", "add", "change")),
    "hashes.view_hashentry",
    "hashes.change_hashentry",
    # Links accounts to organisations, which is what opens the member portal to them.
    *(f"members.{action}_membership" for action in ("view", "add", "change", "delete")),
    *(f"cases.{action}_classificationscheme" for action in ("view", "add", "change")),
    *(
        f"cases.{action}_{model}"
        for model in ("schemeterm", "termmapping")
        for action in ("view", "add", "change", "delete")
    ),
    "auth.view_user",
    "auth.change_user",
    *(
        f"takedown.{action}_{model}"
        for model in ("provider", "partnerhotline", "quietday", "noticetemplate")
        for action in ("view", "add", "change", "delete")
    ),
    "exchange.view_round",
    "exchange.view_iccamterm",
    *(f"exchange.{action}_vocabularymapping" for action in ("view", "add", "change")),
)

# Members' feedback on matches (/lists/feedback/): analysts and above read it; analysts mark
# it reviewed; withdrawing an entry from it takes whatever withdrawing that entry takes.
READ_FEEDBACK = "lists.view_feedback"
REVIEW_FEEDBACK = ("lists.view_feedback", "lists.review_feedback")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ANALYST: (
        "work_queue",
        "assess_case",
        "members.manage_keywords",
        "takedown.work_takedowns",
        *REVIEW_FEEDBACK,
    ),
    SENIOR_ANALYST: (
        "work_queue",
        "assess_case",
        "verify_assessment",
        "members.manage_keywords",
        "members.mark_dedicated_site",
        "takedown.work_takedowns",
        *REVIEW_FEEDBACK,
    ),
    MANAGER: (
        "work_queue",
        "view_statistics",
        "view_audit_trail",
        "takedown.work_takedowns",
        "insights.add_campaign",
        "insights.analyse_surveys",
        "exchange.view_round",
        READ_FEEDBACK,
    ),
    ADMINISTRATOR: (
        "view_audit_trail",
        "manage_staff",
        "view_statistics",
        READ_FEEDBACK,
        *ADMINISTRATOR_EDITS,
    ),
    RESEARCHER: ("download_research_extract", "insights.analyse_surveys"),
    # Issues and revokes its organisation's API tokens in the member portal; no /admin/.
    MEMBER_ADMINISTRATOR: ("members.add_apitoken", "members.change_apitoken"),
}
# Roles whose members may open /admin/ (Django's is_staff flag).
ADMIN_SITE_ROLES = frozenset({ADMINISTRATOR})


def _permission_filter(names: tuple[str, ...]) -> Q:
    query = Q(pk__in=[])
    for name in names:
        app_label, _dot, codename = name.rpartition(".")
        query |= Q(content_type__app_label=app_label or "accounts", codename=codename)
    return query


def ensure_roles(**_: Any) -> None:
    """Create or correct each role group so it holds exactly its permissions (idempotent).

    Runs after every app's migrations, since each app's permissions appear only then.
    """
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(_permission_filter(names)))
