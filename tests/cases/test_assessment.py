"""The minimal queue and assessment form."""

from __future__ import annotations

from django.test import Client

from turntide.cases.models import Assessment, URLCase

CRIMINAL = {
    "outcome": "criminal",
    "category": "B",
    "age_group": "11-13",
    "sex": "girls",
    "self_generated": "yes",
    "site_type": "image_host",
    "hosting_country": "nl",
}


def test_the_queue_lists_open_cases(client: Client, analyst, reported_case) -> None:
    client.force_login(analyst)
    response = client.get("/cases/")
    assert reported_case.code.encode() in response.content
    assert reported_case.canonical_url.encode() in response.content


def test_the_queue_can_be_searched_by_address_or_code(
    client: Client, analyst, reported_case
) -> None:
    client.force_login(analyst)
    assert client.get("/cases/", {"q": "case.example/gallery"}).context["waiting"] == 1
    assert client.get("/cases/", {"q": reported_case.code.lower()}).context["waiting"] == 1
    assert client.get("/cases/", {"q": "elsewhere.example"}).context["waiting"] == 0


def test_a_criminal_assessment_actions_the_case(client: Client, analyst, reported_case) -> None:
    client.force_login(analyst)
    response = client.post(f"/cases/{reported_case.code}/", CRIMINAL)
    assert response.status_code == 302
    reported_case.refresh_from_db()
    assert reported_case.status == URLCase.Status.ACTIONED
    assessment = Assessment.objects.get()
    assert (assessment.category, assessment.hosting_country) == ("B", "NL")
    assert reported_case not in client.get("/cases/").context["cases"]  # the message names it


def test_a_criminal_outcome_needs_its_grading(client: Client, analyst, reported_case) -> None:
    client.force_login(analyst)
    response = client.post(f"/cases/{reported_case.code}/", {"outcome": "criminal"})
    assert response.status_code == 200
    assert b"Required for a criminal outcome" in response.content
    assert not Assessment.objects.exists()


def test_a_case_cannot_be_assessed_twice(client: Client, analyst, reported_case) -> None:
    client.force_login(analyst)
    client.post(f"/cases/{reported_case.code}/", {"outcome": "not_illegal"})
    response = client.post(f"/cases/{reported_case.code}/", CRIMINAL, follow=True)
    assert b"already decided; nothing was saved" in response.content
    assert Assessment.objects.count() == 1


def test_a_manager_can_read_but_not_assess(client: Client, manager, reported_case) -> None:
    client.force_login(manager)
    assert client.get(f"/cases/{reported_case.code}/").status_code == 200
    assert client.post(f"/cases/{reported_case.code}/", CRIMINAL).status_code == 403
