"""`turntide demo`: prepare the embedded instance with synthetic data, then serve it."""

from __future__ import annotations

import argparse
import os
import threading

from turntide.commands import Subparsers, django_setup
from turntide.commands.worker import make_worker, run_scheduler


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("demo", help="run the embedded demo with synthetic data")
    parser.add_argument("--no-serve", action="store_true", help="prepare only, do not serve")
    parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT to serve on")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Loopback servers stand in for the internet in the removal story (see DESIGN.md).
    os.environ.setdefault("TURNTIDE_CHECKER_ALLOW_PRIVATE", "1")
    django_setup(profile="embedded")
    from django.conf import settings
    from django.core.management import call_command

    from turntide.core import its
    from turntide.demo_data import DEMO_PASSWORD, DEMO_USERS, seed
    from turntide.hashes.demo import seed_demo_hashes
    from turntide.insights.campaigns import DEMO_CAMPAIGN, seed_demo_campaign
    from turntide.insights.demo import seed_history
    from turntide.insights.surveys.demo import seed_demo_survey
    from turntide.takedown.demo import seed_removal_story

    call_command("migrate", interactive=False, verbosity=0)
    created = seed() + seed_history()
    created += seed_removal_story()
    created += seed_demo_hashes()
    created += seed_demo_campaign()
    created += seed_demo_survey(DEMO_CAMPAIGN)
    print(f"Turntide demo under {settings.HOME} ({created} new objects seeded).")
    print(f"Demo logins (password {DEMO_PASSWORD!r}, no second factor in the demo):")
    for username, roles in DEMO_USERS.items():
        print(f"  {username:<11} {', '.join(roles) or 'member of Demo ISP'}")
    if args.no_serve:
        return 0
    host, _, port = args.addr.rpartition(":")
    print(
        f"Public report form: http://{args.addr}/report/  Staff: http://{args.addr}/accounts/login/"
    )
    stop = threading.Event()
    worker = make_worker(interval=1.0, batch=False)
    threading.Thread(target=worker.run, daemon=True).start()  # type: ignore[attr-defined]
    threading.Thread(target=run_scheduler, args=(stop,), daemon=True).start()
    threading.Thread(target=its.preload, daemon=True).start()  # the first evaluation is quick
    call_command("runserver", f"{host or '127.0.0.1'}:{port}", use_reloader=False)
    return 0
