"""Too many reports from one connection: a friendly 429, and nobody identified."""

from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.fixture
def no_key_yet() -> None:
    ratelimit._shared[:] = bytes(len(ratelimit._shared))


def test_counters_start_afresh_each_hour_and_under_a_new_key_each_day(no_key_yet) -> None:
    request = RequestFactory().post("/report/", REMOTE_ADDR="192.0.2.1")
    monday = datetime(2026, 3, 2, 23, 10, tzinfo=UTC)
    assert [ratelimit.allow(request, "test", 2, monday) for _ in range(3)] == [True, True, False]
    monday_key = ratelimit._daily_key(monday.date())
    tuesday = monday + timedelta(minutes=55)
    assert ratelimit.allow(request, "test", 2, tuesday)  # a new hour, and a new day
    tuesday_key = ratelimit._daily_key(tuesday.date())
    assert tuesday_key != monday_key
    # Monday's key is gone for good: a late Monday request gets Tuesday's.
    assert monday_key not in bytes(ratelimit._shared)
    assert ratelimit._daily_key(monday.date()) == tuesday_key


def test_forked_web_processes_hash_an_address_under_one_key(no_key_yet) -> None:
    """gunicorn forks its workers from `turntide serve`, which made the shared key's place."""
    today = datetime(2026, 3, 2, tzinfo=UTC).date()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the first worker to need today's key draws it
        try:
            os.write(writing, ratelimit._daily_key(today))
        finally:
            os._exit(0)
    os.close(writing)
    drawn_by_child = os.read(reading, 64)
    os.close(reading)
    os.waitpid(child, 0)
    assert len(drawn_by_child) == 32
    assert ratelimit._daily_key(today) == drawn_by_child


def test_serve_makes_the_shared_key_before_gunicorn_forks() -> None:
    """The mapping must exist in gunicorn's master: a worker that made its own would count
    an address apart from the others."""
    probe = (
        "import sys\n"
        "from gunicorn.app.wsgiapp import WSGIApplication\n"
        "WSGIApplication.run = lambda self: print('turntide.reports.ratelimit' in sys.modules)\n"
        "from turntide.cli import main\n"
        "main(['serve', '--bind', '127.0.0.1:9'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "True"
