"""The minimal public form: one case per web address, nothing typed is lost."""

from __future__ import annotations

import pytest
from django.test import Client

from turntide.cases.models import URLCase
from turntide.reports.models import Report, ReportedURL


@pytest.mark.django_db
def test_the_form_needs_no_cookie_but_csrf(client: Client) -> None:
    response = client.get("/report/")
    assert response.status_code == 200
    assert set(response.cookies) <= {"csrftoken"}
    assert b"immediate danger" in response.content


@pytest.mark.django_db
def test_a_report_opens_a_case_and_shows_a_reference(client: Client) -> None:
    response = client.post("/report/", {"urls": "http://site.example/a/1.html"})
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.reference.encode() in response.content
    assert URLCase.objects.get().canonical_url == "http://site.example/a/1.html"
    assert b"received." in response.content


@pytest.mark.django_db
def test_the_same_address_written_another_way_joins_the_same_case(client: Client) -> None:
    client.post("/report/", {"urls": "http://site.example/a/1.html"})
    response = client.post("/report/", {"urls": "HTTPS://SITE.example/a/./b/../1.html#frag"})
    assert URLCase.objects.count() == 1
    assert URLCase.objects.get().report_count == 2
    assert b"already reported" in response.content


@pytest.mark.django_db
def test_an_invalid_line_is_named_and_everything_typed_comes_back(client: Client) -> None:
    typed = "http://site.example/ok\nftp://files.example/x"
    response = client.post("/report/", {"urls": typed, "description": "seen on a forum"})
    assert response.status_code == 200
    assert b"Line 2" in response.content
    assert b"ftp://files.example/x" in response.content
    assert b"seen on a forum" in response.content
    assert Report.objects.count() == ReportedURL.objects.count() == 0


@pytest.mark.django_db
def test_immediate_danger_puts_the_case_first(client: Client) -> None:
    client.post("/report/", {"urls": "http://calm.example/"})
    client.post("/report/", {"urls": "http://urgent.example/", "immediate_danger": "on"})
    from turntide.cases.access import queue

    assert [c.canonical_url for c in queue()] == ["http://urgent.example/", "http://calm.example/"]
