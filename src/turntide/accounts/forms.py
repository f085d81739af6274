from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from turntide.accounts.ratelimits import count_request, requests_counted, uncount_request


def _attempts_key(username: str) -> str:
    # Keyed, as a password typed into the username field would otherwise be a plain hash.
    name = username.strip().lower()
    return "login:" + salted_hmac("turntide.login-attempts", name, algorithm="sha256").hexdigest()


class ThrottledLoginForm(AuthenticationForm):
    """Username and password, refused for a while after repeated failures for one username.

    Counting per username (not per address) stops password guessing against an account
    without recording where the attempts came from. Failures are counted in fixed windows
    of the lockout's length, and the window before counts too, so a burst across a window's
    end is refused like any other. Each attempt takes its place in the count before the
    password is checked, so guesses made at once cannot all slip under the limit; one that
    succeeds or is refused gives its place back (refusals do not lengthen the lock).
    """

    def clean(self) -> dict[str, Any]:
        key = _attempts_key(self.cleaned_data.get("username") or "")
        minutes = settings.TURNTIDE_LOGIN_LOCKOUT_MINUTES
        window = minutes * 60
        now = timezone.now()
        earlier = requests_counted(key, window, now - timedelta(seconds=window))
        if count_request(key, window, now) + earlier > settings.TURNTIDE_LOGIN_MAX_FAILURES:
            uncount_request(key, window, now)
            raise forms.ValidationError(
                _("Too many failed attempts. Try again in %(minutes)d minutes."),
                code="throttled",
                params={"minutes": minutes},
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
