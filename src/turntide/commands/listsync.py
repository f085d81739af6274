"""The sync client that `turntide list sync` and `turntide hashes sync` share (no subcommand).

A local copy asks for the changes since its own version and applies them; the file is
replaced only once the delta applied cleanly. A server that answers 409 cannot serve a delta
to that copy (the member's list key changed, say): the client says so and starts again from
the whole list.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from turntide.commands import CommandError, Subparsers
from turntide.core.deltas import ListError


class SyncedList(Protocol):
    """What `turntide.core.urllist.URLList` and `turntide.core.hashlist.HashList` offer."""

    @property
    def version(self) -> int: ...

    def __len__(self) -> int: ...

    def apply(self, delta: Mapping[str, object], *, since: int) -> None: ...

    def save(self, path: str | os.PathLike[str]) -> None: ...


def add_sync_action(
    actions: Subparsers, what: str, handler: Callable[[argparse.Namespace], int]
) -> None:
    """The `sync` action and its options, alike for every list."""
    sync = actions.add_parser("sync", help=f"download the {what} changes into a local file")
    sync.add_argument("--server", required=True, help="e.g. https://hotline.example")
    sync.add_argument("--token", default=os.environ.get("TURNTIDE_TOKEN"), help="API token")
    sync.add_argument("--out", required=True, type=Path, help="the local list file")
    sync.set_defaults(handler=handler)


def sync_list[L: SyncedList](
    args: argparse.Namespace, route: str, empty: Callable[[], L], load: Callable[[Path], L]
) -> tuple[L, str]:
    """Bring the file `args.out` level with the list `/api/v1/lists/<route>` of
    `args.server`; the copy, and a line that says what changed. `CommandError` (the file
    unchanged) when it cannot."""
    if not args.server.startswith(("https://", "http://")):
        raise CommandError("--server must be an http(s) address")
    if not args.token:
        raise CommandError("give --token or set TURNTIDE_TOKEN")
    try:
        copy = load(args.out) if args.out.exists() else empty()
    except (OSError, ListError) as error:
        raise CommandError(f"cannot read {args.out}: {error}") from None
    url = f"{args.server.rstrip('/')}/api/v1/lists/{route}"
    since = copy.version
    try:
        try:
            delta = fetch_delta(url, args.token, since)
        except urllib.error.HTTPError as error:
            if error.code != 409 or not since:
                raise
            print(f"{args.command_name}: the server asks for the whole list again", file=sys.stderr)
            copy, since = empty(), 0
            delta = fetch_delta(url, args.token, since)
    except urllib.error.HTTPError as error:
        raise CommandError(f"the server answered {error.code}{detail_of(error)}") from None
    except (OSError, ValueError) as error:
        raise CommandError(str(error)) from None
    try:
        copy.apply(delta, since=since)
        copy.save(args.out)
    except (OSError, ListError) as error:
        raise CommandError(f"{error}; {args.out} is unchanged") from None
    added, removed = len(delta.get("added", [])), len(delta.get("removed", []))
    return copy, f"version {copy.version}: {len(copy)} entries (+{added} -{removed})"


def detail_of(error: urllib.error.HTTPError) -> str:
    """': why' from the server's JSON error body ("token revoked on …"), or nothing."""
    try:
        detail = json.load(error).get("detail")
    except (OSError, ValueError, AttributeError):
        return ""
    return f": {detail}" if isinstance(detail, str) else ""


def fetch_delta(url: str, token: str, since: int) -> dict[str, Any]:
    """The JSON delta of the list at `url` since `since` (also used by the threatexchange
    extension); `urllib.error.HTTPError` for an error answer."""
    request = urllib.request.Request(  # noqa: S310  (the caller checked the scheme)
        f"{url}?since={since}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        delta: dict[str, Any] = json.load(response)
        return delta
