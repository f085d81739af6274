"""Small things met all day: a confirmation that names case and grading, announced by a
live region empty on load, and 403/404 pages that keep the staff navigation."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cases.grading import GRADING

pytestmark = pytest.mark.django_db


def test_saving_names_the_case_its_grading_and_where_it_went(
    client: Client, analyst, reported_case
) -> None:
    client.force_login(analyst)
    page = client.post(f"/cases/{reported_case.code}/", GRADING, follow=True).content.decode()
    assert (
        f"{reported_case.code} graded: Category A, 7-10, Girls. "
        "It is now: Criminal, awaiting removal."
    ) in page


def test_a_confirmation_is_not_in_the_live_region_on_load_for_it_to_be_announced(
    client: Client, analyst, reported_case
) -> None:
    client.force_login(analyst)
    page = client.post(f"/cases/{reported_case.code}/", GRADING, follow=True).content.decode()
    # announce.js moves the list into the empty region after load: a change is announced.
    assert '<div role="status" id="announcements"></div>' in page
    assert page.index('id="announcements"') < page.index('<ul class="messages" id="messages">')
    assert 'role="status"><ul' not in page


def test_a_non_criminal_outcome_reads_as_itself(client: Client, analyst, reported_case) -> None:
    client.force_login(analyst)
    sent = {"outcome": "not_illegal", "site_type": "forum"}
    page = client.post(f"/cases/{reported_case.code}/", sent, follow=True).content.decode()
    assert f"{reported_case.code} graded: Not illegal. It is now: Assessed, no action." in page


def assert_staff_page(response, status: int, text: str, username: str) -> None:
    assert response.status_code == status
    page = response.content.decode()
    assert text in page
    assert f"Log out {username}" in page
    assert 'aria-label="Staff"' in page


def test_a_403_page_keeps_the_navigation_and_the_logout_button(client: Client, researcher) -> None:
    client.force_login(researcher)
    assert_staff_page(client.get("/cases/"), 403, "Your role does not include this page.", "rhea")


def test_a_404_page_keeps_the_navigation_for_staff_only(client: Client, analyst) -> None:
    public = client.get("/nowhere-at-all/")
    assert public.status_code == 404
    assert "Log out" not in public.content.decode()
    client.force_login(analyst)
    response = client.get("/cases/C-NONE-NONE/")
    assert_staff_page(response, 404, "There is nothing at this address.", "ada")
    assert '<a href="/cases/">Queue</a>' in response.content.decode()


def test_a_failed_save_says_error_in_the_title_and_sums_up_what_to_correct(
    client: Client, analyst, reported_case
) -> None:
    client.force_login(analyst)
    page = client.post(f"/cases/{reported_case.code}/", {"category": "A"}).content.decode()
    assert f"<title>Error: {reported_case.code} · Turntide</title>" in page
    summary = page[page.index('id="error-summary"') : page.index("</section>")]
    assert 'tabindex="-1"' in summary
    # A radio group's entry leads to its first radio, where the answer is given.
    assert '<a href="#id_outcome_0">Outcome: This field is required.</a>' in summary
    assert page.index('id="error-summary"') < page.index('id="case-url"')
