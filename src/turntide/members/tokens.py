"""Issuing and checking API tokens (healthchecks' habit: prefix lookup, HMAC, constant time).

A token reads `tt_<prefix>_<secret>`. The prefix is stored in clear so it can be found and
shown ("which token is this?"); the whole token is stored only as an HMAC digest, compared
in constant time. A database leak therefore yields no usable token.
"""

from __future__ import annotations

import hmac
import secrets

from django.utils.crypto import salted_hmac

PREFIX_LENGTH = 8
TOKEN_SALT = "turntide.members.token"  # noqa: S105  (an HMAC salt, not a secret)


def new_token() -> tuple[str, str]:
    """A fresh token and its prefix."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return f"tt_{prefix}_{secrets.token_urlsafe(32)}", prefix


def token_digest(token: str) -> str:
    return salted_hmac(TOKEN_SALT, token, algorithm="sha256").hexdigest()


def token_prefix(token: str) -> str | None:
    """The prefix of a well-formed token, or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "tt" or len(parts[1]) != PREFIX_LENGTH:
        return None
    return parts[1]


def digests_match(token: str, digest: str) -> bool:
    return hmac.compare_digest(token_digest(token), digest)
