"""The keys that sign the audit chain: the current one, and retired ones kept to verify.

Keys come from settings (`TURNTIDE_AUDIT_KEY`, `TURNTIDE_AUDIT_OLD_KEYS`), never from the
database, so someone who can write to the database cannot recompute a valid chain.  Each
event stores the short id of its key, so a rotation needs no rewriting of old events.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

__all__ = ["current_key", "key_id", "keyring", "sign"]


@lru_cache(maxsize=16)
def key_id(key: bytes) -> str:
    """A short public name for `key` that reveals nothing of it."""
    return hmac.new(key, b"turntide audit key id", hashlib.sha256).hexdigest()[:16]


def current_key() -> tuple[str, bytes]:
    """The id and bytes of the key that signs new events and checkpoints."""
    key = settings.TURNTIDE_AUDIT_KEY.encode()
    return key_id(key), key


def keyring() -> dict[str, bytes]:
    """Every configured key (current and retired) by its id."""
    keys = [settings.TURNTIDE_AUDIT_KEY, *settings.TURNTIDE_AUDIT_OLD_KEYS]
    return {key_id(key.encode()): key.encode() for key in keys}


def sign(key: bytes, message: str) -> str:
    """HMAC-SHA256 of `message` under `key`, in hex."""
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
