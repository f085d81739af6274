"""The `turntide` command.

Each subcommand lives in its own module under `turntide.commands` and exposes
`register(subparsers)`; adding a command means adding one module and one name below.
Commands that need Django call `turntide.commands.django_setup()` themselves, so pure
commands such as `turntide url canon` start without loading Django at all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "demo",
    "serve",
    "worker",
    "manage",
    "audit",
    "url",
    "hash",
    "members",
    "case",
    "imports",
    "list",
    "hashes",
    "takedown",
    "stats",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="turntide",
        description="Case management and member services for child-protection hotlines.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"turntide.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
