"""`turntide members create|token|key`: organisations, their API tokens and list keys."""

from __future__ import annotations

import argparse
import sys

from turntide.commands import CommandError, Subparsers, django_setup


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("members", help="member and trusted-reporter organisations")
    actions = parser.add_subparsers(dest="members_command", required=True, metavar="ACTION")

    create = actions.add_parser("create", help="create an organisation")
    create.add_argument("name")
    create.add_argument("--services", required=True, help="comma-separated licensed services")
    create.add_argument("--kind", default="other", help="isp, platform, partner_hotline, ...")
    create.set_defaults(handler=run_create)

    token = actions.add_parser("token", help="issue an API token (printed once)")
    token.add_argument("name", help="the organisation's name")
    token.add_argument("--services", required=True, help="comma-separated services it may use")
    token.add_argument("--label", default="", help="a note saying where the token is used")
    token.add_argument("--days", type=int, default=365, help="days until it expires")
    token.set_defaults(handler=run_token)

    key = actions.add_parser("key", help="print the organisation's list key (keyed lists)")
    key.add_argument("name", help="the organisation's name")
    change = key.add_mutually_exclusive_group()
    change.add_argument("--rotate", action="store_true", help="replace the key with a new one")
    change.add_argument("--remove", action="store_true", help="send plain SHA-256 again")
    key.set_defaults(handler=run_key)


def run_create(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.members.actions import InvalidServices, do_create_organisation, parse_services
    from turntide.members.models import Organisation

    try:
        services = parse_services(args.services)
    except InvalidServices as error:
        raise CommandError(str(error)) from error
    if args.kind not in Organisation.Kind.values:
        raise CommandError(
            f"unknown kind {args.kind!r}; choose among {', '.join(Organisation.Kind.values)}"
        )
    if Organisation.objects.filter(name=args.name).exists():
        raise CommandError(f"{args.name!r} exists already")
    organisation = do_create_organisation("cli", args.name, services, kind=args.kind)
    print(f"created {organisation.name} ({organisation.code}): {', '.join(services)}")
    return 0


def run_token(args: argparse.Namespace) -> int:
    from datetime import timedelta

    django_setup()
    from turntide.members.actions import InvalidServices, do_issue_token, parse_services
    from turntide.members.models import Organisation

    organisation = Organisation.objects.filter(name=args.name).first()
    if organisation is None:
        raise CommandError(f"no organisation named {args.name!r}")
    if args.days < 1:
        raise CommandError("--days must be at least 1")
    try:
        services = parse_services(args.services)
        api_token, token = do_issue_token(
            "cli", organisation, services, label=args.label, lifetime=timedelta(days=args.days)
        )
    except InvalidServices as error:
        raise CommandError(str(error)) from error
    print(token)
    print(
        f"(token {api_token.prefix} for {organisation.name}: {', '.join(services)}; "
        f"expires {api_token.expires_at:%Y-%m-%d}. It is shown only this once.)",
        file=sys.stderr,
    )
    return 0


def run_key(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.members.actions import do_remove_list_key, do_set_list_key
    from turntide.members.models import Organisation

    organisation = Organisation.objects.filter(name=args.name).first()
    if organisation is None:
        raise CommandError(f"no organisation named {args.name!r}")
    if args.remove:
        do_remove_list_key("cli", organisation)
        print(f"{organisation.name} receives plain SHA-256 hashes again", file=sys.stderr)
        return 0
    print(do_set_list_key("cli", organisation, rotate=args.rotate))
    print(
        f"(list key of {organisation.name}: its URL list is keyed from its next sync, which "
        "must start from the whole list; give the key to `turntide list check --key-file`.)",
        file=sys.stderr,
    )
    return 0
