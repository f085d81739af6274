from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _


def _failures_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"login-failures:{digest}"


class ThrottledLoginForm(AuthenticationForm):
    """Username and password, locked for a while after repeated failures for one username.

    Counting per username (not per address) stops password guessing against an account
    without recording where the attempts came from.
    """

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        key = _failures_key(username)
        limit = settings.TURNTIDE_LOGIN_MAX_FAILURES
        if cache.get(key, 0) >= limit:
            raise forms.ValidationError(
                _("Too many failed attempts. Try again in %(minutes)d minutes."),
                code="throttled",
                params={"minutes": settings.TURNTIDE_LOGIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            timeout = settings.TURNTIDE_LOGIN_LOCKOUT_MINUTES * 60
            cache.add(key, 0, timeout)
            cache.incr(key)
            raise


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
