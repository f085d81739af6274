"""`turntide manage ARGS...`: Django's management commands."""

from __future__ import annotations

import argparse

from turntide.commands import Subparsers, django_setup


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("manage", help="run a Django management command")
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["turntide manage", *args.arguments])
    return 0
