"""`turntide iccam sync` and `turntide iccam lookups`: the exchange with INHOPE's ICCAM.

`sync` runs one exchange round (as the worker does every TURNTIDE_ICCAM_INTERVAL_MINUTES)
and prints its counts; it exits 1 with a message when ICCAM refused the login or did not
answer, and 2 when the exchange is not configured. `lookups` refreshes the stored ICCAM
vocabulary; when a lookup fails the stored one stays, and the exit status is 1.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from turntide.commands import CommandError, Subparsers, django_setup

if TYPE_CHECKING:
    from turntide.exchange.client import ExchangeConfig

UNAVAILABLE = 1


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("iccam", help="exchange reports with INHOPE's ICCAM")
    actions = parser.add_subparsers(dest="iccam_command", required=True, metavar="ACTION")
    actions.add_parser("sync", help="one exchange round").set_defaults(handler=run_sync)
    lookups = actions.add_parser("lookups", help="refresh the stored ICCAM vocabulary")
    lookups.set_defaults(handler=run_lookups)


def _config() -> ExchangeConfig:
    from turntide.exchange.client import ExchangeConfig

    config = ExchangeConfig.from_settings()
    if config is None:
        raise CommandError("the exchange is off: set TURNTIDE_ICCAM_URL and its login")
    return config


def run_sync(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.exchange.client import ExchangeError
    from turntide.exchange.sync import run_round

    config = _config()
    try:
        done = run_round(config)
    except ExchangeError as error:
        raise CommandError(str(error), UNAVAILABLE) from error
    print(
        f"exported {done.exported}, imported {done.imported}, actions {done.actions},"
        f" errors {done.errors}"
    )
    if done.message:
        print(done.message)
    return 0


def run_lookups(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.exchange.client import ExchangeError, Session
    from turntide.exchange.vocabulary import REFRESHABLE, refresh

    session = Session(_config())
    try:
        session.login()
        failed = []
        for lookup in REFRESHABLE:
            answer = session.call("GET", lookup)
            if answer.ok and isinstance(answer.body, list):
                print(f"{lookup}: {refresh(lookup, answer.body)} values")
            else:
                failed.append(f"{lookup} ({answer.error_text()})")
    except ExchangeError as error:
        raise CommandError(f"{error}; the stored vocabulary is unchanged", UNAVAILABLE) from error
    if failed:
        raise CommandError(f"kept the stored values of {', '.join(failed)}", UNAVAILABLE)
    return 0
