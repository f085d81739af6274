"""`turntide demo`: prepare the embedded instance with synthetic data, then serve it."""

from __future__ import annotations

import argparse
import os
import socket
import threading
import time

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
    # The terminal shows the logins, then only what needs attention (warnings and errors).
    os.environ.setdefault("TURNTIDE_LOG_LEVEL", "WARNING")
    # The public pages carry the hotline's name; the demo's says what it is.
    os.environ.setdefault("TURNTIDE_HOTLINE_NAME", "Example Hotline (demo)")
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
    logins = [f"Demo logins (password {DEMO_PASSWORD!r}, no second factor in the demo):"]
    logins += [
        f"  {username:<11} {', '.join(roles) or 'member of Demo ISP'}"
        for username, roles in DEMO_USERS.items()
    ]
    if args.no_serve:
        print("\n".join(logins))
        return 0
    host, _, port = args.addr.rpartition(":")
    host = host or "127.0.0.1"
    logins += [
        f"Public report form: http://{args.addr}/report/  Staff: http://{args.addr}/accounts/login/",
        f"Mail the demo sends is kept as files in {settings.HOME / 'mail'}",
    ]
    stop = threading.Event()
    worker = make_worker(interval=1.0, batch=False)
    threading.Thread(target=worker.run, daemon=True).start()  # type: ignore[attr-defined]
    threading.Thread(target=run_scheduler, args=(stop,), daemon=True).start()
    threading.Thread(target=its.preload, daemon=True).start()  # the first evaluation is quick
    threading.Thread(target=announce_when_up, args=(host, int(port), logins), daemon=True).start()
    call_command("runserver", f"{host}:{port}", use_reloader=False)
    return 0


def announce_when_up(host: str, port: int, lines: list[str]) -> None:
    """Print `lines` once the server accepts connections: after its start-up banner, the
    last thing on the terminal, where people look for the logins."""
    for _ in range(600):  # a minute at most; the server usually answers within a second
        try:
            socket.create_connection((host.strip("[]"), port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    print("\n".join(lines), flush=True)
