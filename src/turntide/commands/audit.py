"""`turntide audit verify`: walk the audit chain and name the first broken event."""

from __future__ import annotations

import argparse

from turntide.commands import CommandError, Subparsers, django_setup


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("audit", help="audit trail tools")
    actions = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify", help="check that the audit chain is intact, then checkpoint its head"
    )
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.audit.actions import do_verify_chain
    from turntide.audit.anchors import checkpoint_path
    from turntide.audit.models import Event

    broken, head = do_verify_chain("cli")
    if broken is not None:
        raise CommandError(f"audit chain broken {broken}", status=1)
    anchor = (
        f"; head #{head.sequence} {head.hash}, checkpoint in {checkpoint_path()}" if head else ""
    )
    print(f"audit chain intact: {Event.objects.count()} events{anchor}")
    return 0
