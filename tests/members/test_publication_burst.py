"""A burst of judgements makes one URL-list publication, and none of them waits for the next."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from tests.members.test_url_list import actioned
from turntide.audit.models import Event
from turntide.commands.worker import make_worker
from turntide.members.lists import url_list_delta

PUBLISH = "turntide.members.tasks.publish_url_list"


def publications() -> DBTaskResult:
    return DBTaskResult.objects.filter(task_path=PUBLISH)


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_judgements_is_published_once_by_the_worker(analyst) -> None:
    cases = [actioned(analyst, f"http://burst{n}.example/") for n in range(8)]
    assert publications().count() == 1  # each commit found one waiting
    make_worker(interval=0, batch=True).run()  # type: ignore[attr-defined]
    assert publications().get().status == "SUCCESSFUL"
    assert Event.objects.filter(action="list.published").count() == 1
    listed = {entry["sha256"] for entry in url_list_delta(0).added}
    assert listed == {case.url_key for case in cases}


@pytest.mark.django_db(transaction=True)
def test_a_judgement_after_the_publication_started_queues_another(analyst) -> None:
    actioned(analyst, "http://early.example/")
    publications().update(status="RUNNING")  # the worker has taken it and may have read
    late = actioned(analyst, "http://late.example/")
    assert publications().filter(status="READY").count() == 1
    make_worker(interval=0, batch=True).run()  # type: ignore[attr-defined]
    assert late.url_key in {entry["sha256"] for entry in url_list_delta(0).added}
