"""A busy or absent database answers 503 with Retry-After; a retry under the same key is taken."""

from __future__ import annotations

from typing import NoReturn

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client

from tests.api.test_reports_api import post
from turntide.reports.models import Report

BODY = {"urls": [{"url": "http://busy.example/a.html"}]}


def locked(*args: object, **kwargs: object) -> NoReturn:
    raise OperationalError("database is locked")


def test_a_locked_database_asks_the_client_to_retry_and_the_retry_is_taken(
    client: Client, reporter_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        patched.setattr("turntide.api.reports.do_receive_report", locked)
        busy = post(client, reporter_token, BODY, **{"Idempotency-Key": "retry-me"})
    assert busy.status_code == 503
    assert busy["Retry-After"] == "10"
    assert "nothing of this request was stored" in busy.json()["detail"]
    assert not Report.objects.exists()

    retried = post(client, reporter_token, BODY, **{"Idempotency-Key": "retry-me"})
    assert retried.status_code == 200
    assert retried.json()["results"][0]["new"] is True


@pytest.mark.django_db
def test_the_public_form_says_nothing_was_stored_and_to_send_again(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("turntide.reports.views.do_receive_public_report", locked)
    answer = client.post("/report/", {"urls": "http://busy.example/a.html"})
    assert answer.status_code == 503
    assert answer["Retry-After"] == "10"
    assert b"nothing was stored" in answer.content
    assert not Report.objects.exists()


def test_a_faulty_query_is_still_a_server_error(
    client: Client, reporter_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def faulty(*args: object, **kwargs: object) -> NoReturn:
        raise IntegrityError("NOT NULL constraint failed")

    monkeypatch.setattr("turntide.api.reports.do_receive_report", faulty)
    client.raise_request_exception = False
    assert post(client, reporter_token, BODY).status_code == 500


@pytest.mark.django_db
def test_the_busy_notice_speaks_the_reporters_language(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("turntide.reports.views.do_receive_public_report", locked)
    answer = client.post("/fr/report/", {"urls": "http://busy.example/a.html"})
    assert answer.status_code == 503
    assert "rien n\u2019a été enregistré" in answer.content.decode()
