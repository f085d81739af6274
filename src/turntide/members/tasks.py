"""Publishing the lists: after every judgement that moves a case, and every minute."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.tasks import task

from turntide.cases.signals import case_outcome_changed, case_status_changed
from turntide.members.lists import do_publish_url_list
from turntide.schedule.registry import periodic


@periodic(every_minutes=1)
@task()
def publish_url_list() -> int:
    return do_publish_url_list()


def publish_after_commit(**_: Any) -> None:
    transaction.on_commit(partial(publish_url_list.enqueue))


case_status_changed.connect(publish_after_commit, dispatch_uid="members.publish_on_status")
case_outcome_changed.connect(publish_after_commit, dispatch_uid="members.publish_on_outcome")
