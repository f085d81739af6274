"""Who may open a staff page: logged in, second factor passed, holding the permission.

It stands outside every app, so that any app's pages (the audit trail's too, whose app every
other app writes to) can be guarded without importing `accounts`, which writes to `audit`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect

__all__ = ["second_factor_pending", "signed_in_user", "staff_required"]

# A view keeps its own type through the decorator (a streamed download, say).
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def signed_in_user(request: HttpRequest) -> User:
    """The user of a view behind `staff_required`, typed: only signed-in users get there."""
    user = request.user
    assert isinstance(user, User)
    return user


def second_factor_pending(request: HttpRequest) -> bool:
    verified: bool = request.user.is_verified()  # type: ignore[union-attr]
    return bool(settings.TURNTIDE_REQUIRE_2FA) and not verified


def staff_required(permission: str | None = None, *, hide: bool = False) -> Callable[[View], View]:
    """Anonymous: to login. No second factor yet: to the 2FA step. Lacking permission: 403,
    or 404 with `hide` (pages of one object: an outsider must not learn that it exists)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if second_factor_pending(request):
                return redirect("accounts:two_factor")
            # A bare name is a Turntide capability; "app.codename" a model permission.
            wanted = permission if permission and "." in permission else f"accounts.{permission}"
            if permission and not request.user.has_perm(wanted):
                raise Http404 if hide else PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
