"""`turntide url canon` and `turntide url expressions`: URL identity, without loading Django.

Members and administrators check addresses with exactly the rules that built the lists, so
these commands are thin wrappers over `turntide.core.urls`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from turntide.commands import Subparsers
from turntide.core.urls import InvalidURL, canonicalize, expressions

EXIT_INVALID = 2


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("url", help="canonical forms and lookup expressions of URLs")
    actions = parser.add_subparsers(dest="url_command", required=True, metavar="ACTION")
    canon = actions.add_parser(
        "canon",
        help="print the canonical form of each URL (read from stdin, one a line, if none given)",
    )
    canon.add_argument("urls", nargs="*", metavar="URL")
    canon.set_defaults(handler=run_canon)
    lookup = actions.add_parser("expressions", help="print the lookup expressions of a URL")
    lookup.add_argument("url", metavar="URL")
    lookup.set_defaults(handler=run_expressions)


def run_canon(args: argparse.Namespace) -> int:
    urls: Iterable[str] = args.urls or (line for line in sys.stdin if line.strip())
    status = 0
    for url in urls:
        try:
            print(canonicalize(url))
        except InvalidURL as error:
            _complain("canon", url, error)
            status = EXIT_INVALID
    return status


def run_expressions(args: argparse.Namespace) -> int:
    try:
        found = expressions(args.url)
    except InvalidURL as error:
        _complain("expressions", args.url, error)
        return EXIT_INVALID
    print("\n".join(found))
    return 0


def _complain(action: str, url: str, error: InvalidURL) -> None:
    shown = url.strip()
    if len(shown) > 200:
        shown = shown[:200] + "..."
    print(f"turntide url {action}: {shown!r}: {error.reason}", file=sys.stderr)
