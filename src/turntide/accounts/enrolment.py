"""Tokens of one-time enrolment links, stored only as HMAC digests (as API tokens are).

Whoever holds the link sets the account's password and enrols its authenticator, so the
second factor belongs to whoever received the link, never to whoever learnt the password.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

__all__ = ["enrolment_path", "enrolment_url", "link_digest", "new_link_token"]

LINK_SALT = "turntide.accounts.enrolment-link"


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def link_digest(token: str) -> str:
    return salted_hmac(LINK_SALT, token, algorithm="sha256").hexdigest()


def enrolment_path(token: str) -> str:
    return reverse("accounts:enrol", args=[token])


def enrolment_url(token: str) -> str:
    """The whole link, on the site's address (TURNTIDE_SITE_URL), for mail and the console."""
    return settings.TURNTIDE_SITE_URL.rstrip("/") + enrolment_path(token)
