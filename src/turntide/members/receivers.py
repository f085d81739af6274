"""The URL list republishes after every judgement that moves a case, once it is committed.

A burst of judgements queues one publication (turntide.coalesce): one still waiting covers
them all, so the list stays as fresh as the worker's poll without a run per judgement.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from turntide.cases.signals import case_outcome_changed, case_status_changed
from turntide.coalesce import enqueue_once
from turntide.members.tasks import publish_url_list


def publish_after_commit(**_: Any) -> None:
    transaction.on_commit(partial(enqueue_once, publish_url_list))


case_status_changed.connect(publish_after_commit, dispatch_uid="members.publish_on_status")
case_outcome_changed.connect(publish_after_commit, dispatch_uid="members.publish_on_outcome")
