"""Finding the token behind a bearer credential, and saying why a real one no longer works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from turntide.members.models import APIToken, Organisation
from turntide.members.tokens import digests_match, token_prefix

# Recording every use would write on every request; a minute's precision is plenty.
LAST_USED_PRECISION = timedelta(minutes=1)
WHEN = "%Y-%m-%d %H:%M UTC"


def genuine_token(token: str) -> APIToken | None:
    """The token this secret belongs to, usable or not; None for anything else."""
    prefix = token_prefix(token)
    if prefix is None:
        return None
    api_token = APIToken.objects.select_related("organisation").filter(prefix=prefix).first()
    if api_token is None or not digests_match(token, api_token.digest):
        return None
    return api_token


def authenticate_token(token: str) -> APIToken | None:
    """The usable token matching `token`, or None (unknown, revoked, expired, suspended)."""
    api_token = genuine_token(token)
    if api_token is None or not api_token.usable:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
        APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return api_token


def token_state(token: APIToken, organisation: Organisation, now: datetime) -> str:
    """revoked, expired, suspended (the agreement is not active) or active."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= now:
        return "expired"
    if organisation.status != Organisation.Status.ACTIVE:
        return "suspended"
    return "active"


def refusal(token: str) -> str | None:
    """Why the holder of a real token is refused ("token revoked on …"), so they know to ask
    for a new one rather than suspect their set-up. None for an unknown token or a wrong
    secret: those learn nothing, not even whether the prefix exists."""
    api_token = genuine_token(token)
    if api_token is None:
        return None
    state = token_state(api_token, api_token.organisation, timezone.now())
    if state == "revoked" and api_token.revoked_at is not None:
        return f"token revoked on {api_token.revoked_at.astimezone(UTC):{WHEN}}"
    if state == "expired":
        return f"token expired on {api_token.expires_at.astimezone(UTC):{WHEN}}"
    if state == "suspended":
        return "token suspended: your organisation's agreement is not active"
    return None
