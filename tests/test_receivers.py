"""Who listens to each signal: exactly the receivers its definition names.

Checked in a fresh interpreter after django.setup() alone, so every listener must be wired by
its app's ready() (through the app's receivers.py), not by a module that some other part of
the program, or this test suite, happens to import first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROGRAM = """
import json
import django
django.setup()
from django.contrib.auth import signals as auth
from turntide.cases.models import URLCase
from turntide.cases.signals import case_outcome_changed, case_status_changed
from turntide.reports.signals import urls_reported
signals = {
    "case_status_changed": (case_status_changed, URLCase),
    "case_outcome_changed": (case_outcome_changed, URLCase),
    "urls_reported": (urls_reported, None),
    "user_logged_in": (auth.user_logged_in, None),
    "user_logged_out": (auth.user_logged_out, None),
    "user_login_failed": (auth.user_login_failed, None),
}
names = {
    name: sorted(
        f"{receiver.__module__}.{receiver.__qualname__}"
        for receiver in signal._live_receivers(sender)[0]
        if receiver.__module__.startswith("turntide.")
    )
    for name, (signal, sender) in signals.items()
}
print(json.dumps(names))
"""


def receivers() -> dict[str, list[str]]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "turntide.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True, env=env
    )
    names: dict[str, list[str]] = json.loads(result.stdout)
    return names


def test_each_signal_has_exactly_the_receivers_its_definition_names() -> None:
    assert receivers() == {
        "case_status_changed": [
            "turntide.hashes.receivers.reconcile_after_commit",
            "turntide.members.receivers.publish_after_commit",
            "turntide.takedown.receivers.start_when_actioned",
        ],
        "case_outcome_changed": [
            "turntide.hashes.receivers.reconcile_after_commit",
            "turntide.members.receivers.publish_after_commit",
        ],
        "urls_reported": ["turntide.cases.receivers.join_cases"],
        "user_logged_in": ["turntide.accounts.receivers.audit_login"],
        "user_logged_out": ["turntide.accounts.receivers.audit_logout"],
        "user_login_failed": ["turntide.accounts.receivers.audit_failed_login"],
    }
