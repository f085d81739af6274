"""`turntide list sync` and `turntide list check`: the member-side URL-list client.

Neither loads Django: a member runs them on their own machines with only this package.
`sync` keeps a local copy current with deltas; `check` reads URLs from its arguments or,
one per line, from standard input (proxy log lines work: the first field holding "://" is
taken as the URL), prints `match URL` or `clear URL`, and exits 1 if anything matched.
A member whose list is keyed gives its list key (from the member portal) to `check` in a
file, never on the command line where other users could read it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from turntide.commands import Subparsers

CHECK_BATCH = 10_000


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("list", help="member-side URL list client")
    actions = parser.add_subparsers(dest="list_command", required=True, metavar="ACTION")
    sync = actions.add_parser("sync", help="download the URL list changes into a local file")
    sync.add_argument("--server", required=True, help="e.g. https://hotline.example")
    sync.add_argument("--token", default=os.environ.get("TURNTIDE_TOKEN"), help="API token")
    sync.add_argument("--out", required=True, type=Path, help="the local list file")
    sync.set_defaults(handler=run_sync)
    check = actions.add_parser("check", help="check URLs (arguments or stdin) against a list")
    check.add_argument("--list", required=True, type=Path, dest="list_file")
    check.add_argument(
        "--key-file",
        type=Path,
        default=os.environ.get("TURNTIDE_LIST_KEY_FILE"),
        help="file holding your organisation's list key (keyed lists only)",
    )
    check.add_argument("urls", nargs="*")
    check.set_defaults(handler=run_check)


def run_sync(args: argparse.Namespace) -> int:
    from turntide.core.urllist import URLList, URLListError

    if not args.server.startswith(("https://", "http://")):
        print("turntide list sync: --server must be an http(s) address", file=sys.stderr)
        return 2
    if not args.token:
        print("turntide list sync: give --token or set TURNTIDE_TOKEN", file=sys.stderr)
        return 2
    try:
        current = URLList.load(args.out) if args.out.exists() else URLList()
    except (OSError, URLListError) as error:
        print(f"turntide list sync: cannot read {args.out}: {error}", file=sys.stderr)
        return 2
    since = current.version
    try:
        try:
            delta = fetch_delta(args.server, args.token, since)
        except urllib.error.HTTPError as error:
            if error.code != 409 or not since:
                raise
            # The server says this copy cannot take deltas (e.g. the list key changed).
            print("turntide list sync: the server asks for the whole list again", file=sys.stderr)
            current, since = URLList(), 0
            delta = fetch_delta(args.server, args.token, since)
    except urllib.error.HTTPError as error:
        print(f"turntide list sync: the server answered {error.code}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        print(f"turntide list sync: {error}", file=sys.stderr)
        return 2
    try:
        current.apply(delta, since=since)
        current.save(args.out)
    except (OSError, URLListError) as error:
        print(f"turntide list sync: {error}; {args.out} is unchanged", file=sys.stderr)
        return 2
    added, removed = len(delta.get("added", [])), len(delta.get("removed", []))
    keyed = " (keyed: check with --key-file)" if current.keyed else ""
    print(f"version {current.version}: {len(current)} entries (+{added} -{removed}){keyed}")
    return 0


def fetch_delta(server: str, token: str, since: int) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310  (the caller checked the scheme)
        f"{server.rstrip('/')}/api/v1/lists/urls?since={since}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        delta: dict[str, Any] = json.load(response)
        return delta


def urls_from_lines(lines: Iterable[str]) -> Iterator[str]:
    """Each line's URL: the first field holding '://', else the whole line."""
    for line in lines:
        fields = line.split()
        if fields:
            yield next((field for field in fields if "://" in field), line.strip())


def run_check(args: argparse.Namespace) -> int:
    from turntide.core.urllist import URLList, URLListError

    try:
        url_list = URLList.load(args.list_file)
        if args.key_file:
            url_list.use_key(Path(args.key_file).read_text().strip().encode())
    except (OSError, URLListError) as error:
        print(f"turntide list check: cannot read {args.list_file}: {error}", file=sys.stderr)
        return 2
    if url_list.keyed and not args.key_file:
        print(
            "turntide list check: this list is keyed: give --key-file with your "
            "organisation's list key",
            file=sys.stderr,
        )
        return 2
    source = args.urls or urls_from_lines(sys.stdin)
    matched = False
    batch: list[str] = []

    def flush() -> None:
        nonlocal matched
        out = sys.stdout
        for url, hit in zip(batch, url_list.check_many(batch), strict=True):
            out.write(f"{'match' if hit else 'clear'} {url}\n")
            matched = matched or hit
        batch.clear()

    for url in source:
        batch.append(url)
        if len(batch) >= CHECK_BATCH:
            flush()
    flush()
    return 1 if matched else 0
