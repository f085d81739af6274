"""`turntide staff create-admin|invite|reset`: staff accounts from the server's shell.

Each prints the person's one-time enrolment link instead of mailing it: the first
administrator of a new instance has nobody to invite them, and whoever runs these commands
on the server already holds every key.
"""

from __future__ import annotations

import argparse
import sys

from turntide.commands import CommandError, Subparsers, django_setup


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("staff", help="staff accounts and their enrolment links")
    actions = parser.add_subparsers(dest="staff_command", required=True, metavar="ACTION")

    create_admin = actions.add_parser(
        "create-admin", help="create the first administrator and print their enrolment link"
    )
    create_admin.add_argument("username")
    create_admin.add_argument("--email", required=True)
    create_admin.set_defaults(handler=run_create_admin)

    invite = actions.add_parser("invite", help="create a staff account; print its enrolment link")
    invite.add_argument("username")
    invite.add_argument("--email", required=True)
    invite.add_argument(
        "--role", action="append", required=True, help="a role (repeat for several)"
    )
    invite.set_defaults(handler=run_invite)

    reset = actions.add_parser(
        "reset", help="void an account's authenticator and print a new enrolment link"
    )
    reset.add_argument("username")
    reset.set_defaults(handler=run_reset)


def run_create_admin(args: argparse.Namespace) -> int:
    django_setup()
    from django.contrib.auth.models import User

    from turntide.accounts.roles import ADMINISTRATOR

    if User.objects.filter(groups__name=ADMINISTRATOR, is_active=True).exists():
        raise CommandError(
            "an administrator exists already: they invite others at /admin/auth/user/add/"
        )
    return _invite(args.username, args.email, [ADMINISTRATOR])


def run_invite(args: argparse.Namespace) -> int:
    django_setup()
    return _invite(args.username, args.email, args.role)


def _invite(username: str, email: str, roles: list[str]) -> int:
    from django.contrib.auth.models import Group, User
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from turntide.accounts.actions import do_create_staff_user, do_issue_enrolment_link

    try:
        validate_email(email)
        User.username_validator(username)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    unknown = set(roles) - set(Group.objects.values_list("name", flat=True))
    if unknown:
        raise CommandError(f"unknown role {', '.join(sorted(unknown))!r}; run migrate first?")
    if User.objects.filter(username=username).exists():
        raise CommandError(f"{username!r} exists already")
    user = do_create_staff_user("cli", username, None, roles, email=email)
    _print_link(user, do_issue_enrolment_link("cli", user))
    return 0


def run_reset(args: argparse.Namespace) -> int:
    django_setup()
    from django.contrib.auth.models import User

    from turntide.accounts.actions import do_reset_second_factor

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active account {args.username!r}")
    _print_link(user, do_reset_second_factor("cli", user))
    return 0


def _print_link(user: object, token: str) -> None:
    from django.conf import settings

    from turntide.accounts.enrolment import enrolment_url

    print(enrolment_url(token))
    print(
        f"(one-time enrolment link for {user}: it sets the password and the authenticator, "
        f"and lapses in {settings.TURNTIDE_ENROLMENT_LINK_HOURS} hours. Give it to them alone.)",
        file=sys.stderr,
    )
