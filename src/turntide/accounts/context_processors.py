from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which staff sections the current user may open, for the header navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "cases": user.has_perm("accounts.work_queue"),
            "appeals": user.has_perm("accounts.verify_assessment"),
            "welfare": user.has_perm("accounts.view_statistics"),
            "health": user.has_perm("accounts.view_statistics"),
            "insights": user.has_perm("accounts.view_statistics"),
            "research": user.has_perm("accounts.download_research_extract"),
            "surveys": user.has_perm("insights.analyse_surveys"),
            "lists": user.has_perm("accounts.work_queue"),
            "feedback": user.has_perm("lists.view_feedback"),
            "removal": user.has_perm("takedown.work_takedowns"),
            "exchange": user.has_perm("exchange.view_round"),
            "portal": hasattr(user, "membership"),
            "audit": user.has_perm("accounts.view_audit_trail"),
            "admin": user.is_staff,
        },
        # When an idle session ends, so that the page can warn a minute before.
        "session_seconds": settings.SESSION_COOKIE_AGE,
    }
