"""Too many reports from one connection: a friendly 429, and nobody identified."""

from __future__ import annotations

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
    monday = datetime(2026, 3, 2, 22, 10, tzinfo=UTC)
    assert [ratelimit.allow(request, "test", 2, monday) for _ in range(3)] == [True, True, False]
    monday_key = ratelimit._daily_key(monday.date())
    later = monday + timedelta(minutes=55)
    assert [ratelimit.allow(request, "test", 2, later) for _ in range(3)] == [True, True, False]
    assert ratelimit._daily_key(later.date()) == monday_key  # a new hour, the same key
    tuesday = later + timedelta(hours=1)
    assert ratelimit.allow(request, "test", 2, tuesday)  # a new hour, and a new day
    tuesday_key = ratelimit._daily_key(tuesday.date())
    assert tuesday_key != monday_key
    # Monday's key is gone for good: a late Monday request gets Tuesday's.
    assert monday_key not in bytes(ratelimit._shared)
    assert ratelimit._daily_key(monday.date()) == tuesday_key


def run_probe(probe: str) -> str:
    """Run Python in a process of its own (forking pytest's threads risks deadlocks)."""
    setup = "import django, os, sys\nos.environ['DJANGO_SETTINGS_MODULE'] = 'turntide.settings'\n"
    command = [sys.executable, "-c", setup + "django.setup()\n" + probe]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    return result.stdout.strip()


def test_forked_web_processes_hash_an_address_under_one_key() -> None:
    """gunicorn forks its workers from `turntide serve`, which made the shared key's place."""
    probe = (
        "from datetime import date\n"
        "from turntide.reports import ratelimit\n"
        "reading, writing = os.pipe()\n"
        "if os.fork() == 0:  # the first worker to need today's key draws it\n"
        "    os.write(writing, ratelimit._daily_key(date(2026, 3, 2)))\n"
        "    os._exit(0)\n"
        "os.wait()\n"
        "drawn_by_child = os.read(reading, 64)\n"
        "print(len(drawn_by_child), drawn_by_child == ratelimit._daily_key(date(2026, 3, 2)))\n"
    )
    assert run_probe(probe) == "32 True"


def test_a_worker_killed_while_drawing_the_key_does_not_stop_the_others() -> None:
    probe = (
        "import signal\n"
        "from datetime import date\n"
        "from turntide.reports import ratelimit\n"
        "if os.fork() == 0:\n"
        "    with ratelimit._locked():\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.wait()\n"
        "print(len(ratelimit._daily_key(date(2026, 3, 2))))\n"
    )
    assert run_probe(probe) == "32"


def test_serve_makes_the_shared_key_before_gunicorn_forks() -> None:
    """The mapping must exist in gunicorn's master: a worker that made its own would count
    an address apart from the others."""
    probe = (
        "from gunicorn.app.wsgiapp import WSGIApplication\n"
        "WSGIApplication.run = lambda self: print('turntide.reports.ratelimit' in sys.modules)\n"
        "from turntide.cli import main\n"
        "main(['serve', '--bind', '127.0.0.1:9'])\n"
    )
    assert run_probe(probe) == "True"


def test_behind_a_proxy_the_address_the_proxy_saw_is_counted(settings) -> None:
    settings.TURNTIDE_CLIENT_ADDRESS_FROM_PROXY = True
    factory = RequestFactory()

    def via_proxy(forwarded: str) -> bool:
        request = factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return ratelimit.allow(request, "test", 1)

    assert via_proxy("192.0.2.9, 192.0.2.1")
    assert not via_proxy("192.0.2.8, 192.0.2.1")  # a spoofed first hop changes nothing
    assert via_proxy("192.0.2.2")
