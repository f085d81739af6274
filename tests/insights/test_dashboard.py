from __future__ import annotations

from django.test import Client

from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment


def test_the_dashboard_counts_reports_and_actioned_urls(
    client: Client, manager, analyst, reported_case
) -> None:
    do_assess(
        analyst,
        reported_case,
        Assessment(
            outcome="criminal", category="A", age_group="7-10", sex="boys", self_generated="no"
        ),
    )
    client.force_login(manager)
    response = client.get("/insights/")
    assert response.context["headline"].reports_received == 1
    assert response.context["headline"].urls_actioned == 1
