"""The `turntide` command.

Each subcommand lives in its own module under `turntide.commands` and exposes
`register(subparsers)`; adding a command means adding one module and one name below.
Commands that need Django call `turntide.commands.django_setup()` themselves, so pure
commands such as `turntide url canon` start without loading Django at all.  A command that
cannot go on raises `turntide.commands.CommandError`; it is printed here, once for all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence

from turntide.commands import CommandError

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
    "iccam",
    "survey",
    "staff",
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
    for each in _parsers(parser):
        # The innermost parser's default wins: errors name the whole command, `turntide list sync`.
        each.set_defaults(command_name=each.prog)
    return parser


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
    except CommandError as error:
        print(f"{args.command_name}: {error}", file=sys.stderr)
        return error.status
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
