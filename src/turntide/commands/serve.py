"""`turntide serve`: the production web server (gunicorn), worker count from the environment."""

from __future__ import annotations

import argparse

from turntide.commands import Subparsers, django_setup, require_smtp_in_production


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("serve", help="serve the web application with gunicorn")
    parser.add_argument("--bind", help="HOST:PORT (default TURNTIDE_BIND or 127.0.0.1:8000)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    django_setup()
    require_smtp_in_production()
    from django.conf import settings
    from gunicorn.app.wsgiapp import WSGIApplication

    # Its daily key lives in memory shared with the workers gunicorn forks from here.
    import turntide.reports.ratelimit  # noqa: F401
    from turntide.core import its

    its.preload()  # the workers fork with the fitting libraries loaded

    argv = [
        "gunicorn",
        "--bind",
        args.bind or settings.TURNTIDE_BIND,
        "--workers",
        str(settings.TURNTIDE_WEB_WORKERS),
        "--forwarded-allow-ips",
        "127.0.0.1,::1",
        "turntide.wsgi:application",
    ]
    import sys

    sys.argv = argv
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
    return 0
