"""Races at intake: one web address stays one case however many submit it at once.

Staged on PostgreSQL, where the submissions run in truly parallel transactions. (SQLite
serialises writers; its in-memory test database cannot be shared between threads.)
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.helpers import THREADS, run_at_once
from turntide.audit.actions import verify_chain
from turntide.cases.models import CaseReport, URLCase
from turntide.reports.actions import do_receive_report
from turntide.reports.models import ReportedURL

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_of_one_new_address_create_exactly_one_case() -> None:
    spellings = [
        "http://race.example/gallery/1.html",
        "HTTP://RACE.EXAMPLE/gallery/1.html",
        "race.example/gallery/./1.html",
        "https://race.example:443/gallery/1.html#x",
    ]
    errors = run_at_once(lambda n: do_receive_report("public", [spellings[n]]))
    assert errors == []
    case = URLCase.objects.get()
    assert CaseReport.objects.filter(case=case).count() == THREADS
    assert case.report_count == THREADS
    # The confirmation page's "received" versus "already reported": exactly one first.
    firsts = ReportedURL.objects.filter(first_of_its_key=True)
    assert list(firsts.values_list("url_key", flat=True)) == [case.url_key]
    assert verify_chain() is None  # four concurrent audit writers, one unbroken chain


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_sharing_addresses_link_every_report() -> None:
    shared = [f"http://shared.example/{i}" for i in range(50)]

    def submit(number: int) -> None:
        own = [f"http://own{number}.example/{i}" for i in range(20)]
        do_receive_report("public", shared + own)

    assert run_at_once(submit) == []
    assert URLCase.objects.count() == 50 + THREADS * 20
    assert set(
        URLCase.objects.filter(canonical_url__startswith="http://shared.example/").values_list(
            "report_count", flat=True
        )
    ) == {THREADS}


@pytest.mark.django_db(transaction=True)
def test_of_concurrent_api_reports_of_one_new_address_exactly_one_is_new() -> None:
    import json

    from django.test import Client

    from turntide.members.actions import do_create_organisation, do_issue_token

    organisation = do_create_organisation("system", "Race Platform", ["report"])
    token = do_issue_token("system", organisation, ["report"])[1]
    answers: list[bool] = []

    def submit(_number: int) -> None:
        response = Client().post(
            "/api/v1/reports",
            json.dumps({"urls": [{"url": "http://api-race.example/x"}]}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        answers.append(response.json()["results"][0]["new"])

    assert run_at_once(submit) == []
    assert sorted(answers) == [False, False, False, True]
