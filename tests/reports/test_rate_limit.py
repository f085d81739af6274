"""Too many reports from one connection: a friendly 429, and nobody identified."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, RequestFactory

from turntide.reports import ratelimit
from turntide.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_per_hour(settings) -> None:
    settings.TURNTIDE_REPORT_LIMIT_PER_HOUR = 2


def test_an_over_limit_reporter_gets_429_and_keeps_what_was_typed(rosa: Client) -> None:
    for n in range(2):
        assert rosa.post("/report/", {"urls": f"http://a.example/{n}"}).status_code == 200
    typed = {"urls": "http://a.example/3\nhttp://b.example/", "description": "a forum thread"}
    response = rosa.post("/report/", typed)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait a little" in page
    assert typed["urls"] in page
    assert typed["description"] in page
    assert Report.objects.count() == 2


def test_invalid_attempts_count_too(rosa: Client) -> None:
    rosa.post("/report/", {"urls": "ftp://a.example/"})
    rosa.post("/report/", {"urls": "ftp://a.example/"})
    assert rosa.post("/report/", {"urls": "http://a.example/"}).status_code == 429


def test_one_reporter_over_the_limit_does_not_stop_another(rosa: Client, ben: Client) -> None:
    for _ in range(3):
        rosa.post("/report/", {"urls": "http://a.example/"})
    assert ben.post("/report/", {"urls": "http://b.example/"}).status_code == 200


def test_reading_the_form_is_never_limited(rosa: Client) -> None:
    for _ in range(3):
        rosa.post("/report/", {"urls": "http://a.example/"})
    assert rosa.get("/report/").status_code == 200


def test_counters_start_afresh_each_hour_and_under_a_new_key_each_day() -> None:
    request = RequestFactory().post("/report/", REMOTE_ADDR="192.0.2.1")
    monday = datetime(2026, 3, 2, 23, 10, tzinfo=UTC)
    assert [ratelimit.allow(request, "test", 2, monday) for _ in range(3)] == [True, True, False]
    assert ratelimit.allow(request, "test", 2, monday + timedelta(minutes=55))  # next hour
    monday_key = ratelimit._daily_key(monday.date())
    assert ratelimit._daily_key(monday.date()) == monday_key
    assert ratelimit._daily_key(monday.date() + timedelta(days=1)) != monday_key
    assert list(ratelimit._key_of_day) == [monday.date() + timedelta(days=1)]


def test_behind_a_proxy_the_address_the_proxy_saw_is_counted(settings) -> None:
    settings.TURNTIDE_CLIENT_ADDRESS_FROM_PROXY = True
    factory = RequestFactory()

    def via_proxy(forwarded: str) -> bool:
        request = factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return ratelimit.allow(request, "test", 1)

    assert via_proxy("192.0.2.9, 192.0.2.1")
    assert not via_proxy("192.0.2.8, 192.0.2.1")  # a spoofed first hop changes nothing
    assert via_proxy("192.0.2.2")
