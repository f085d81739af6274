"""What the member-side lists share: the check of a delta's version, and the errors.

The server serves each list as deltas (`GET /api/v1/lists/urls?since=V`, `.../hashes?since=V`):
the answer names the version it brings the list to, and applies only to a copy at version V.
`turntide.core.urllist` and `turntide.core.hashlist` check it here before reading entries.

>>> delta_version({"version": 4, "added": [], "removed": []}, since=3, current=3)
4
>>> delta_version({"version": 6}, since=5, current=4)
Traceback (most recent call last):
    ...
turntide.core.deltas.VersionMismatch: this delta was fetched with since=5 but the list is at \
version 4; fetch ?since=4 instead
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ListError", "VersionMismatch", "delta_version"]

_MAX_VERSION = 2**63 - 1


class ListError(ValueError):
    """A delta, snapshot or list file that cannot be used; the message says what is wrong."""


class VersionMismatch(ListError):
    """A delta fetched for another version than the list's: applying it would lose changes."""

    def __init__(self, since: int, version: int) -> None:
        super().__init__(
            f"this delta was fetched with since={since} but the list is at version {version}; "
            f"fetch ?since={version} instead"
        )
        self.since = since
        self.version = version


def delta_version(
    delta: object, *, since: int, current: int, fields: str = "version, added and removed"
) -> int:
    """The version that `delta`, fetched with `since`, brings a copy at `current` to.

    `VersionMismatch` unless `since` is the copy's version, or the delta would skip or repeat
    changes; `ListError` if it is no JSON object (one with `fields`), its version is no whole
    number, it says it answers another `since`, or it would take the list backwards.
    """
    if not isinstance(delta, Mapping):
        raise ListError(f"a delta is a JSON object with {fields}")
    version = delta.get("version")
    if type(version) is not int or not 0 <= version <= _MAX_VERSION:  # bool is no version
        raise ListError('the delta\'s "version" must be a whole number from 0')
    if "since" in delta and delta["since"] != since:
        raise ListError(f"the delta says since={delta['since']!r}, not since={since}")
    if since != current:
        raise VersionMismatch(since, current)
    if version < since:
        raise ListError(
            f"the delta would take the list back from version {since} to {version}; "
            "start again from the whole list (since=0)"
        )
    return version
