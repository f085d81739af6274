"""A scratch PostgreSQL database for the benchmarks that fill one (`DATABASE_URL`)."""

from __future__ import annotations

import os
import sys
from typing import Any


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


def staff_client(username: str, roles: list[str]) -> Any:
    """Django's test client, signed in as the staff user `username` (made with `roles`)."""
    from django.contrib.auth.models import User
    from django.test import Client

    from turntide.accounts.actions import do_create_staff_user

    user = User.objects.filter(username=username).first()
    user = user or do_create_staff_user("system", username, "x" * 20, roles)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def judged_case(hosting_country: str, removed_at: str, source: str) -> dict[str, str]:
    """The columns of a decided case as `turntide import assessments` stores it, as SQL over a
    generated row: `k` (URL key), `e` (address after the scheme), `at` (judged), `c`
    (criminal), `removed` (and `removed_at` then), for `bulk.insert_select`."""
    return {
        "code": "'C-' || upper(substr(k, 1, 16))",
        "url_key": "k",
        "canonical_url": "'http://' || e",
        "status": "CASE WHEN removed THEN 'removed' WHEN c THEN 'actioned' ELSE 'assessed' END",
        "created_at": "at",
        "status_changed_at": "at",
        "first_reported_at": "at",
        "last_reported_at": "at",
        "due_at": "at",
        "hosting_country": hosting_country,
        "actioned_at": "CASE WHEN c THEN at END",
        "removed_at": f"CASE WHEN removed THEN {removed_at} END",
        "imported_from": f"'{source}'",
    }
