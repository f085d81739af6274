"""Publishing the URL list: every minute, and after each judgement (members.receivers)."""

from __future__ import annotations

from django.tasks import task

from turntide.members.lists import do_publish_url_list
from turntide.schedule.registry import periodic


@periodic(every_minutes=1)
@task()
def publish_url_list() -> int:
    return do_publish_url_list()
