"""A scratch PostgreSQL database for the benchmarks that fill one (`DATABASE_URL`)."""

from __future__ import annotations

import os
import sys


def migrated_scratch_database() -> bool:
    """Set Django up on DATABASE_URL and migrate it; False (with a message) when it is not
    PostgreSQL."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to a scratch PostgreSQL database", file=sys.stderr)
        return False
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turntide.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    return True
