"""The grading panel: nothing chosen in advance, each choice with its key, fields of other
outcomes marked for hiding and ignored, "Save and next" first, and staying signed in."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.cases.grading import GRADING
from turntide.cases.models import Assessment, URLCase
from turntide.reports.actions import do_receive_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client: Client, analyst) -> Client:
    client.force_login(analyst)
    return client


def panel(client: Client, case: URLCase) -> str:
    page = client.get(f"/cases/{case.code}/").content.decode()
    return page[
        page.index('id="assessment-form"') : page.index(
            "</form>", page.index('id="assessment-form"')
        )
    ]


def test_no_choice_is_made_in_advance(ada: Client, reported_case: URLCase) -> None:
    form = panel(ada, reported_case)
    radios = re.findall(r'<input type="radio"[^>]*>', form)
    assert len(radios) > 20
    assert not [radio for radio in radios if "checked" in radio or 'value=""' in radio]


def test_each_choice_shows_the_key_that_picks_it(ada: Client, reported_case: URLCase) -> None:
    form = panel(ada, reported_case)
    assert re.search(r'value="criminal"[^>]*data-key="1"', form)
    assert re.search(r'value="C"[^>]*data-key="x"', form)
    assert re.search(r'value="7-10"[^>]*data-key="shift\+3"', form)
    assert "<kbd>⇧3</kbd>" in form
    assert re.search(
        r'value="unclear"[^>]*data-key="l"[^>]*>\s*<span>Unclear</span><kbd>l</kbd>', form
    )


def test_fields_of_other_outcomes_are_marked_for_hiding(ada: Client, reported_case) -> None:
    form = panel(ada, reported_case)
    criminal = 'data-outcomes="criminal criminal_non_photographic"'
    assert re.search(rf'<fieldset class="segmented" id="id_category" {criminal}>', form)
    assert re.search(rf'<p class="check" {criminal}><input type="checkbox" name="commercial"', form)
    assert 'class="field referred_to" data-outcomes="other_harm"' in form
    assert 'class="field duplicate_of_code" data-outcomes="duplicate"' in form
    assert 'id="id_outcome">' in form  # outcome itself belongs to every outcome


def test_a_grading_sent_with_a_non_criminal_outcome_is_ignored(ada: Client, reported_case) -> None:
    # With JavaScript off the criminal fields show; what was typed there must not count.
    sent = {
        **GRADING,
        "outcome": "not_illegal",
        "media": "videos",
        "image_count": "many",
        "commercial": "on",
        "referred_to": "Somebody",
        "duplicate_of_code": "C-NONE-NONE",
    }
    response = ada.post(f"/cases/{reported_case.code}/", sent)
    assert response.status_code == 302
    saved = Assessment.objects.get(case=reported_case)
    assert (saved.outcome, saved.category, saved.age_group, saved.sex) == (
        "not_illegal",
        "",
        "",
        "",
    )
    assert (saved.media, saved.image_count, saved.commercial) == ("", None, False)
    assert (saved.referred_to, saved.duplicate_of, saved.hosting_country) == ("", None, "NL")


def test_save_and_next_is_the_first_button_so_enter_sends_it(ada: Client, reported_case) -> None:
    form = panel(ada, reported_case)
    buttons = re.findall(r'<button type="submit"[^>]*>', form)
    assert buttons[0] == '<button type="submit" name="then" value="next">'
    assert len(buttons) == 2


def test_save_and_next_confirms_and_opens_the_next_case_at_its_grading(ada: Client) -> None:
    do_receive_report("public", ["http://first.example/1.html", "http://second.example/2.html"])
    first = URLCase.objects.get(canonical_url="http://first.example/1.html")
    second = URLCase.objects.get(canonical_url="http://second.example/2.html")
    response = ada.post(f"/cases/{first.code}/", {**GRADING, "then": "next"})
    assert response["Location"] == f"/cases/{second.code}/#id_outcome_0"
    second.refresh_from_db()
    assert second.claimed_by is not None  # taken, as "Next case" takes it
    page = ada.get(response["Location"]).content.decode()
    assert f"{first.code} graded: Category A, 7-10, Girls. It is now:" in page


def test_staff_pages_warn_a_minute_before_the_idle_session_ends(ada: Client, settings) -> None:
    settings.SESSION_COOKIE_AGE = 1200
    page = ada.get("/cases/").content.decode()
    assert re.search(r'<dialog id="session-warning"[^>]*data-seconds="1200"', page)
    assert 'data-keep-alive="/accounts/keep-alive/"' in page
    assert "Stay signed in" in page


def test_stay_signed_in_renews_the_session(ada: Client) -> None:
    assert ada.get("/accounts/keep-alive/").status_code == 204
    ada.logout()
    ended = ada.get("/accounts/keep-alive/")
    assert ended.status_code == 302
    assert ended["Location"].startswith("/accounts/login/")
