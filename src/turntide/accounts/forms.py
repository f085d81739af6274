from __future__ import annotations

import hashlib
import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.accounts.ratelimits import count_request, uncount_request, window_end


def _attempts_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"login:{digest}"


class ThrottledLoginForm(AuthenticationForm):
    """Username and password, refused for a while after repeated failures for one username.

    Counting per username (not per address) stops password guessing against an account
    without recording where the attempts came from. Each attempt takes its place in the
    window's count before the password is checked, so attempts made at once cannot all slip
    under the limit; one that succeeds gives its place back.
    """

    def clean(self) -> dict[str, Any]:
        key = _attempts_key(self.cleaned_data.get("username") or "")
        window = settings.TURNTIDE_LOGIN_LOCKOUT_MINUTES * 60
        now = timezone.now()
        if count_request(key, window, now) > settings.TURNTIDE_LOGIN_MAX_FAILURES:
            raise forms.ValidationError(
                _("Too many failed attempts. Try again in %(minutes)d minutes."),
                code="throttled",
                params={"minutes": math.ceil((window_end(now, window) - now).total_seconds() / 60)},
            )
        cleaned = super().clean()
        uncount_request(key, window, now)
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
