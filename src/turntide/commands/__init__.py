"""Subcommands of the `turntide` command line, one module each."""

from __future__ import annotations

import argparse
import os

type Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = [
    "INVALID_INPUT",
    "CommandError",
    "Subparsers",
    "django_setup",
    "require_smtp_in_production",
]

INVALID_INPUT = 2


class CommandError(Exception):
    """A command cannot go on: `turntide` prints the message after the command's name, with no
    traceback, and exits with `status` (2, bad input, unless the command documents another)."""

    def __init__(self, message: str, status: int = INVALID_INPUT) -> None:
        super().__init__(message)
        self.status = status


def django_setup(profile: str | None = None) -> None:
    """Load Django settings, optionally forcing a profile (`embedded` or `production`)."""
    if profile is not None:
        os.environ["TURNTIDE_PROFILE"] = profile
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turntide.settings")
    import django

    django.setup()


def require_smtp_in_production() -> None:
    """Stop unless production has an SMTP server: `serve` and `worker` send reporters' and
    hosts' email, which must never end up in a console or a log instead."""
    from django.conf import settings

    if settings.PRODUCTION and not settings.TURNTIDE_SMTP_HOST:
        raise CommandError(
            "TURNTIDE_SMTP_HOST is required to run this command in the production profile"
        )
