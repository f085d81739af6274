"""Finding the token behind a bearer credential."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from turntide.members.models import APIToken
from turntide.members.tokens import digests_match, token_prefix

# Recording every use would write on every request; a minute's precision is plenty.
LAST_USED_PRECISION = timedelta(minutes=1)


def authenticate_token(token: str) -> APIToken | None:
    """The usable token matching `token`, or None (unknown, revoked, expired, suspended)."""
    prefix = token_prefix(token)
    if prefix is None:
        return None
    api_token = APIToken.objects.select_related("organisation").filter(prefix=prefix).first()
    if api_token is None or not digests_match(token, api_token.digest) or not api_token.usable:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
        APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return api_token
