"""Two analysts can never hold one case: the claim is a conditional update (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.helpers import run_at_once
from turntide.cases.actions import do_claim_next
from turntide.cases.models import URLCase
from turntide.reports.actions import do_receive_report

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
)


@pytest.mark.django_db(transaction=True)
def test_analysts_pressing_next_case_at_once_each_get_a_different_case(make_staff) -> None:
    do_receive_report("public", ["http://only.example/a", "http://only.example/b"])
    analysts = [make_staff(f"analyst{n}", "analyst") for n in range(4)]
    claimed: list[URLCase | None] = [None] * 4

    def press_next(number: int) -> None:
        claimed[number] = do_claim_next(analysts[number])

    assert run_at_once(press_next) == []
    got = [case.code for case in claimed if case is not None]
    assert len(got) == 2
    assert len(set(got)) == 2
    holders = URLCase.objects.values_list("claimed_by__username", flat=True)
    assert len(set(holders)) == 2
