"""`turntide case show URL --format json`: the case of a web address, from any spelling."""

from __future__ import annotations

import argparse
import json

from turntide.commands import CommandError, Subparsers, django_setup

NO_CASE = 3


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("case", help="look up cases")
    actions = parser.add_subparsers(dest="case_command", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="show the case of a URL (exit 3 if there is none)")
    show.add_argument("url")
    show.add_argument("--format", choices=["json", "text"], default="text")
    show.set_defaults(handler=run_show)


def run_show(args: argparse.Namespace) -> int:
    from turntide.core.urls import InvalidURL

    django_setup()
    from turntide.cases.access import case_summary_for_url

    try:
        summary = case_summary_for_url(args.url)
    except InvalidURL as error:
        raise CommandError(f"{args.url!r}: {error.reason}") from error
    if summary is None:
        raise CommandError(f"no case for {args.url}", status=NO_CASE)
    if args.format == "json":
        print(json.dumps(summary, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key:18} {value}")
    return 0
