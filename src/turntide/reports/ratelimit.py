"""Rate limiting of the public form without identifying anyone.

A client address is never stored. It is hashed with HMAC-SHA256 under a random key that
exists only in memory and is overwritten every day; only the hash, as the key of an hour's
count (accounts.ratelimits, deleted once the hour is over), outlives the request. Once a
day's key is gone, nobody holding the database or the logs can tell which address a count
belonged to.

The key lives in an anonymous shared memory mapping made when this module is imported.
`turntide serve` imports it before gunicorn forks its workers, so they all hash an address
alike and the limit holds across them; a process that imports it on its own (another
server, a second host) keeps a key of its own, and counts apart.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import mmap
import os
import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from turntide.accounts.ratelimits import count_request

__all__ = ["allow"]

HOUR = 3600

# Day number (8 bytes, big-endian) and key (32 bytes), shared with forked processes.
_DAY = slice(0, 8)
_KEY = slice(8, 40)
_shared = mmap.mmap(-1, 40)
# A record lock on an unnamed file excludes the other processes, and the kernel releases it
# if its holder is killed; the thread lock excludes this process's own threads.
_lock_file, _lock_path = tempfile.mkstemp(prefix="turntide-ratelimit-")
os.unlink(_lock_path)  # unnamed from here on; the descriptor is open for the process's life
_thread_lock = threading.Lock()


@contextmanager
def _locked() -> Iterator[None]:
    with _thread_lock:
        fcntl.lockf(_lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(_lock_file, fcntl.LOCK_UN)


def _daily_key(day: date) -> bytes:
    """The key for `day`, drawn by whichever process first needs it.

    Days only move forward: a request stamped just before midnight that arrives after the
    key turned keeps today's, so yesterday's is never drawn again.
    """
    with _locked():
        if day.toordinal() > int.from_bytes(_shared[_DAY]):
            _shared[_KEY] = secrets.token_bytes(32)  # yesterday's key is overwritten for good
            _shared[_DAY] = day.toordinal().to_bytes(8)
        return bytes(_shared[_KEY])


def _client_address(request: HttpRequest) -> str:
    if settings.TURNTIDE_CLIENT_ADDRESS_FROM_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded).rsplit(",", 1)[-1].strip()  # the hop our proxy saw
    return str(request.META.get("REMOTE_ADDR", ""))


def allow(request: HttpRequest, scope: str, per_hour: int, now: datetime | None = None) -> bool:
    """Count one attempt from this request's address; False once it is over `per_hour`."""
    now = now or timezone.now()
    address = _client_address(request).encode()
    digest = hmac.new(_daily_key(now.date()), address, hashlib.sha256).hexdigest()
    return count_request(f"{scope}:{digest}", HOUR, now) <= per_hour
