"""Staff see the exchange: each case's ICCAM state on its page, the rounds page (managers and
administrators), and the vocabulary in the admin (administrators, audited)."""

from __future__ import annotations

import pytest
from django.test import Client

from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.exchange.models import IccamTerm, VocabularyMapping


def test_a_case_page_shows_the_partners_assessment_as_theirs(iccam, sync, client, analyst):
    iccam.add_content(
        "http://partner.example/5",
        "GB",
        "2026-03-01T10:00:00+00:00",
        assessments=[{"assessingAnalystName": "analyst-nl", "classification": 1}],
    )
    assert sync() == 0
    case = URLCase.objects.get()
    client.force_login(analyst)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "Imported from ICCAM" in page
    assert "Partner hotline's assessment (analyst-nl), not ours: Baseline CSAM" in page
    assert "Reference claimed" in page


def test_a_case_page_shows_the_last_refusal(iccam, sync, client, analyst, criminal_case):
    iccam.forced = {("POST", "rest/reports"): 400}
    assert sync() == 0
    client.force_login(analyst)
    page = client.get(f"/cases/{criminal_case.code}/").content.decode()
    refusal = "Last error: Report inserted, Refused by ICCAM (HTTP 400): the stand-in answers 400"
    assert refusal in page


def test_a_case_that_never_met_iccam_shows_nothing_of_it(client, analyst, reported_case):
    client.force_login(analyst)
    assert 'id="iccam-state"' not in client.get(f"/cases/{reported_case.code}/").content.decode()


@pytest.mark.parametrize("persona", ["manager", "administrator"])
def test_managers_and_administrators_see_rounds_with_counts_and_errors(
    iccam, sync, client, criminal_case, request, persona
):
    iccam.forced = {("GET", "rest/Content/no-reference"): 503}
    assert sync() == 0
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/exchange/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>Completed</td><td>1</td><td>0</td><td>0</td><td>1</td>" in page
    assert "GET Content/no-reference: HTTP 503" in page
    assert 'href="/exchange/"' in page  # in the navigation


def test_analysts_may_not_see_the_rounds(client: Client, analyst) -> None:
    client.force_login(analyst)
    assert client.get("/exchange/").status_code == 403
    assert 'href="/exchange/"' not in client.get("/cases/").content.decode()


def test_an_administrator_changes_the_mapping_in_the_admin_audited(client, administrator):
    mapping = VocabularyMapping.objects.get(lookup="site-types", turntide_value="chat")
    website = IccamTerm.objects.get(lookup="site-types", iccam_id=2)
    client.force_login(administrator)
    url = f"/admin/exchange/vocabularymapping/{mapping.pk}/change/"
    assert client.get(url).status_code == 200
    data = {"lookup": "site-types", "turntide_value": "chat", "term": website.pk}
    assert client.post(url, data).status_code == 302
    mapping.refresh_from_db()
    assert mapping.term == website
    event = Event.objects.get(action="exchange.vocabularymapping_changed")
    assert (event.actor, event.details) == ("root-admin", {"fields": ["term"]})


def test_a_mapping_to_another_lookups_value_is_refused(client, administrator):
    mapping = VocabularyMapping.objects.get(lookup="site-types", turntide_value="chat")
    male = IccamTerm.objects.get(lookup="gender-categories", iccam_id=3)
    client.force_login(administrator)
    url = f"/admin/exchange/vocabularymapping/{mapping.pk}/change/"
    response = client.post(url, {"lookup": "site-types", "turntide_value": "chat", "term": male.pk})
    assert response.status_code == 200
    assert "Choose a value of the same lookup." in response.content.decode()
