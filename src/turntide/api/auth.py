"""Bearer-token authentication: 401 for a missing or wrong token, 403 for a missing scope.

A real token that no longer works gets a 401 that says why ("token revoked on …"); an
unknown one gets the same bare 401 as a missing one.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, AuthorizationError, Throttled
from ninja.security import HttpBearer

from turntide.accounts.ratelimits import count_request, window_end
from turntide.members.access import authenticate_token, refusal
from turntide.members.models import APIToken


class ServiceToken(HttpBearer):
    """A usable token scoped to one of `services`, within its rate limit."""

    def __init__(self, *services: str) -> None:
        super().__init__()
        self.services = services

    def authenticate(self, request: HttpRequest, token: str) -> APIToken | None:
        api_token = authenticate_token(token)
        if api_token is None:
            reason = refusal(token)
            if reason is None:
                return None
            raise AuthenticationError(message=reason)
        # Both the token's scope and the organisation's current licence must include it.
        granted = set(api_token.services) & set(api_token.organisation.services)
        if not granted.intersection(self.services):
            wanted = " or ".join(self.services)
            raise AuthorizationError(message=f"this token is not scoped to {wanted}")
        enforce_rate_limit(api_token)
        return api_token


def has_service(api_token: APIToken, service: str) -> bool:
    return service in api_token.services and service in api_token.organisation.services


def enforce_rate_limit(api_token: APIToken) -> None:
    """A fixed one-minute window per token."""
    now = timezone.now()
    limit = settings.TURNTIDE_API_REQUESTS_PER_MINUTE
    if count_request(f"api:{api_token.prefix}", 60, now) > limit:
        raise Throttled(wait=math.ceil((window_end(now, 60) - now).total_seconds()))
