"""A small ICCAM API v3 client: bearer-token sessions over `urllib`, as the project's other
outbound calls (RDAP, the list client), with the TLS client certificate in its SSL context.

ICCAM answers 400, 401, 403 and 500 with `{errors}` and those are final; any other non-200
answer means try again later. When no answer comes at all (`Unreachable`), a write may or may
not have landed; callers decide what that means for each write.
"""

from __future__ import annotations

import http.client
import json
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

__all__ = [
    "FINAL_STATUSES",
    "Answer",
    "ExchangeConfig",
    "ExchangeError",
    "LoginRefused",
    "Session",
    "Unreachable",
]

FINAL_STATUSES = frozenset({400, 401, 403, 500})
# Refresh this long before ICCAM says the token expires, so no call is sent with a stale one.
EXPIRY_MARGIN_SECONDS = 60


class ExchangeError(RuntimeError):
    """The round cannot go on; the message says why, for staff and the command line."""


class Unreachable(ExchangeError):
    """No answer from ICCAM: connection refused, reset, timed out, or TLS refused."""


class LoginRefused(ExchangeError):
    """ICCAM refused the username, password or client certificate."""


@dataclass(frozen=True)
class ExchangeConfig:
    url: str
    username: str
    password: str
    country: str
    client_cert: str = ""
    client_key: str = ""
    timeout_seconds: float = 30.0

    @classmethod
    def from_settings(cls) -> ExchangeConfig | None:
        """The configured exchange, or None when it is off (TURNTIDE_ICCAM_URL unset)."""
        if not settings.TURNTIDE_ICCAM_URL:
            return None
        return cls(
            url=settings.TURNTIDE_ICCAM_URL.rstrip("/") + "/",
            username=settings.TURNTIDE_ICCAM_USERNAME,
            password=settings.TURNTIDE_ICCAM_PASSWORD,
            country=settings.TURNTIDE_ICCAM_COUNTRY,
            client_cert=settings.TURNTIDE_ICCAM_CLIENT_CERT,
            client_key=settings.TURNTIDE_ICCAM_CLIENT_KEY,
        )

    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.client_cert:
            context.load_cert_chain(self.client_cert, self.client_key or None)
        return context


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

    def error_text(self) -> str:
        errors = self.body.get("errors") if isinstance(self.body, dict) else None
        return f"HTTP {self.status}" + (f": {json.dumps(errors)[:500]}" if errors else "")


class Session:
    """Logged in to ICCAM; sends the bearer token on every call and renews it when it
    expires (by its announced lifetime, or when a call is answered 401)."""

    def __init__(self, config: ExchangeConfig) -> None:
        self.config = config
        self.context = config.ssl_context() if config.url.startswith("https://") else None
        self.token = ""
        self.refresh_token = ""
        self.expires_at = 0.0

    def login(self) -> None:
        answer = self._send(
            "POST",
            "Authentication",
            {"username": self.config.username, "password": self.config.password},
        )
        if not answer.ok or not isinstance(answer.body, dict) or not answer.body.get("bearerToken"):
            if answer.final:
                raise LoginRefused(f"ICCAM refused the login ({answer.error_text()})")
            raise Unreachable(f"ICCAM could not log in now ({answer.error_text()})")
        self._keep(answer.body)

    def call(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> Answer:
        """One API call under rest/; logs in again once if the token was refused."""
        if params:
            path = f"{path}?{urlencode(params)}"
        if time.monotonic() >= self.expires_at:
            self.renew()
        answer = self._send(method, f"rest/{path}", body)
        if answer.status == 401:
            self.renew()
            answer = self._send(method, f"rest/{path}", body)
        return answer

    def renew(self) -> None:
        """Refresh the token, or log in afresh when the refresh is refused."""
        if self.refresh_token:
            answer = self._send(
                "POST",
                "Authentication/refresh",
                {"bearerToken": self.token, "refreshToken": self.refresh_token},
            )
            if answer.ok and isinstance(answer.body, dict) and answer.body.get("bearerToken"):
                self._keep(answer.body)
                return
        self.login()

    def _keep(self, body: dict[str, Any]) -> None:
        self.token = str(body["bearerToken"])
        self.refresh_token = str(body.get("refreshToken") or "")
        lifetime = float(body.get("bearerTokenExpiresIn") or 1800)
        self.expires_at = time.monotonic() + max(lifetime - EXPIRY_MARGIN_SECONDS, 0)

    def _send(self, method: str, path: str, body: Any) -> Answer:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310  (the scheme is checked in settings)
            self.config.url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=self.config.timeout_seconds, context=self.context
            ) as response:
                return Answer(response.status, _json(response.read()))
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, _json(error.read()))
        except (OSError, http.client.HTTPException) as error:  # URLError, resets, timeouts, TLS
            raise Unreachable(f"no answer from ICCAM at {self.config.url}: {error}") from error


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        return None
