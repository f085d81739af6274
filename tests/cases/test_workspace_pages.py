"""Small things met all day: a confirmation that names case and outcome, announced as a
status whose list stays a list, and 403/404 pages that keep the staff navigation."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cases.grading import GRADING

pytestmark = pytest.mark.django_db


def test_saving_names_the_case_its_outcome_and_where_it_went(
    client: Client, analyst, reported_case
) -> None:
    client.force_login(analyst)
    page = client.post(f"/cases/{reported_case.code}/", GRADING, follow=True).content.decode()
    assert (
        f"Case {reported_case.code} saved as “Criminal: child sexual abuse imagery”; "
        "it is now: Criminal, awaiting removal."
    ) in page
    assert '<div role="status"><ul class="messages">' in page


def test_a_403_page_keeps_the_navigation_and_the_logout_button(client: Client, researcher) -> None:
    client.force_login(researcher)
    response = client.get("/cases/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role does not include this page." in page
    assert "Log out rhea" in page
    assert 'aria-label="Staff"' in page


def test_a_404_page_keeps_the_navigation_for_staff_only(client: Client, analyst) -> None:
    public = client.get("/nowhere-at-all/")
    assert public.status_code == 404
    assert "Log out" not in public.content.decode()
    client.force_login(analyst)
    response = client.get("/cases/C-NONE-NONE/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is nothing at this address." in page
    assert "Log out ada" in page
    assert '<a href="/cases/">Queue</a>' in page
