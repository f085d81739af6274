"""Subcommands of the `turntide` command line, one module each."""

from __future__ import annotations

import argparse
import os

type Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = ["Subparsers", "django_setup"]


def django_setup(profile: str | None = None) -> None:
    """Load Django settings, optionally forcing a profile (`embedded` or `production`)."""
    if profile is not None:
        os.environ["TURNTIDE_PROFILE"] = profile
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turntide.settings")
    import django

    django.setup()
