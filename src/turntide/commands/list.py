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
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from turntide.commands import CommandError, Subparsers
from turntide.commands.listsync import add_sync_action, sync_list

CHECK_BATCH = 10_000


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("list", help="member-side URL list client")
    actions = parser.add_subparsers(dest="list_command", required=True, metavar="ACTION")
    add_sync_action(actions, "URL list", run_sync)
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
    from turntide.core.urllist import URLList

    url_list, summary = sync_list(args, "urls", URLList, URLList.load)
    print(summary + (" (keyed: check with --key-file)" if url_list.keyed else ""))
    return 0


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
        raise CommandError(f"cannot read {args.list_file}: {error}") from None
    if url_list.keyed and not args.key_file:
        raise CommandError("this list is keyed: give --key-file with your organisation's list key")
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
