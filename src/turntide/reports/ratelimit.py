"""Rate limiting of the public form without identifying anyone.

A client address is never stored. It is hashed with HMAC-SHA256 under a random key that
exists only in this process's memory and is replaced every day; only the hash, as a counter
key in Django's cache, outlives the request. Once a day's key is gone, nobody holding the
database, the cache or the logs can tell which address a counter belonged to. Each web
process keeps its own key, so with several processes the limit applies per process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

__all__ = ["allow"]

HOUR = 3600

_lock = threading.Lock()
_key_of_day: dict[date, bytes] = {}


def _daily_key(day: date) -> bytes:
    with _lock:
        if day not in _key_of_day:
            _key_of_day.clear()  # forget yesterday's key for good
            _key_of_day[day] = secrets.token_bytes(32)
        return _key_of_day[day]


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
    key = f"ratelimit:{scope}:{now:%Y%m%d%H}:{digest}"
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add() and incr()
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count <= per_hour
