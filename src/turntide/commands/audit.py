"""`turntide audit verify`: walk the audit chain and name the first broken event."""

from __future__ import annotations

import argparse
import sys

from turntide.commands import Subparsers, django_setup


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("audit", help="audit trail tools")
    actions = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="check that the audit chain is intact")
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.audit.actions import verify_chain
    from turntide.audit.models import Event

    broken = verify_chain()
    if broken is not None:
        print(f"audit chain broken at event #{broken.sequence}: {broken.reason}", file=sys.stderr)
        return 1
    head = Event.objects.order_by("-sequence").values_list("sequence", "hash").first()
    anchor = f"; head #{head[0]} {head[1]}" if head else ""
    print(f"audit chain intact: {Event.objects.count()} events{anchor}")
    return 0
