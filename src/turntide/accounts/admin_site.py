"""The admin shares the staff login, so it gets the same second-factor rule."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from turntide.access import second_factor_pending


def require_second_factor_for_admin(site: AdminSite) -> None:
    """Route the admin's login through the staff login and refuse roles without admin rights."""
    original_has_permission = site.has_permission

    def has_permission(request: HttpRequest) -> bool:
        return original_has_permission(request) and not second_factor_pending(request)

    def login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(reverse("accounts:login") + "?next=" + reverse("admin:index"))
        if second_factor_pending(request):
            return redirect("accounts:two_factor")
        raise PermissionDenied

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.login = login  # type: ignore[method-assign]
    site.site_header = f"{settings.OTP_TOTP_ISSUER} administration"
