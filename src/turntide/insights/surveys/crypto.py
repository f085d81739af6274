"""Encryption at rest of uploaded survey files, under TURNTIDE_SURVEY_KEY.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) authenticates what it decrypts, so
altered bytes in the database fail loudly. Its 32-byte key is the SHA-256 of the configured
secret, which may then be any long random string, like the audit key.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings

__all__ = ["decrypt", "encrypt"]


def _fernet() -> Fernet:
    digest = hashlib.sha256(settings.TURNTIDE_SURVEY_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(content: bytes) -> bytes:
    return _fernet().encrypt(content)


def decrypt(token: bytes | memoryview) -> bytes:
    return _fernet().decrypt(bytes(token))
