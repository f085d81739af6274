"""A case that becomes actioned starts its takedown in the background, after commit."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from turntide.cases.models import URLCase
from turntide.cases.signals import case_status_changed
from turntide.takedown.tasks import start_takedown


def start_when_actioned(case: URLCase, status: str, **_: Any) -> None:
    if status == URLCase.Status.ACTIONED:
        transaction.on_commit(partial(start_takedown.enqueue, case.pk))


case_status_changed.connect(start_when_actioned, dispatch_uid="takedown.start_when_actioned")
