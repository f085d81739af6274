"""Takedown fixtures: a loopback site whose pages disappear at scripted times, a loopback SMTP
server, hosting traces standing in for DNS and GeoIP, and an actioned case."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.helpers import free_port
from turntide.takedown.checker import CheckerConfig, CheckResult, check
from turntide.takedown.tracing import TracedHost

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class ScriptedSite:
    """Pages that answer 200 until their `gone_at` on the site's clock `now`, then 404."""

    now: datetime = T0
    gone_at: dict[str, datetime | None] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, method: str, path: str) -> tuple[int, dict[str, str]]:
        self.requests.append((method, path))
        if path in self.redirects:
            return 302, {"Location": self.redirects[path]}
        if path not in self.gone_at:
            return 404, {}
        gone_at = self.gone_at[path]
        if gone_at is not None and self.now >= gone_at:
            return 404, {}
        return 200, {"Content-Type": "text/plain"}


@pytest.fixture
def site() -> Iterator[ScriptedSite]:
    scripted = ScriptedSite()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, with_body: bool) -> None:
            status, headers = scripted.answer(self.command, self.path)
            self.send_response(status)
            body = b"harmless synthetic page\n"
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self._reply(with_body=False)

        def do_GET(self) -> None:
            self._reply(with_body=True)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scripted.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield scripted
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def notices_leave_without_hold(settings: Any) -> None:
    """Notices go on the outbox's next run; the tests of the hold time set their own."""
    settings.TURNTIDE_NOTICE_HOLD_MINUTES = {}


def start_and_send(case: Any, at: datetime, **kwargs: Any) -> Any:
    """Start the case's takedown at `at`, then run the outbox as the worker would."""
    from turntide.takedown.actions import do_start_takedown
    from turntide.takedown.outbox import dispatch

    takedown = do_start_takedown(case, at, **kwargs)
    dispatch(at)
    return takedown


@pytest.fixture
def loopback_checker() -> Callable[[str], CheckResult]:
    """The real checker, opted in to loopback targets as tests and the demo are."""
    config = CheckerConfig(allow_private=True, timeout_seconds=5.0)
    return lambda url: check(url, config)


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[list[EmailMessage]]:
    """A real SMTP server on loopback; Django's default mailer sends to it."""
    received: list[EmailMessage] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            received.append(message)
            return "250 Message accepted"

    # aiosmtpd logs every connection at INFO; the tests read the inbox instead.
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield received
    controller.stop()
    mail_log.setLevel(level)


@pytest.fixture
def imap_mailbox(settings: Any) -> Iterator[Any]:
    """A real IMAP server on loopback (pymap's in-memory backend), set as the abuse mailbox;
    yields an `imaplib` client logged in to it, to put messages there."""
    import imaplib
    import subprocess
    import sys
    import time
    from pathlib import Path

    port = free_port()
    pymap = str(Path(sys.executable).parent / "pymap")
    listen = ["--host", "127.0.0.1", "--port", str(port), "--no-tls"]
    server = subprocess.Popen(
        [pymap, *listen, "dict", "--demo-user", "abuse", "--demo-password", "mailbox-pw"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                client = imaplib.IMAP4("127.0.0.1", port, timeout=5)
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("the IMAP server did not start")
        client.login("abuse", "mailbox-pw")
        settings.TURNTIDE_IMAP_HOST = "127.0.0.1"
        settings.TURNTIDE_IMAP_PORT = port
        settings.TURNTIDE_IMAP_USER = "abuse"
        settings.TURNTIDE_IMAP_PASSWORD = "mailbox-pw"
        settings.TURNTIDE_IMAP_TLS = False
        settings.TURNTIDE_IMAP_FOLDER = "INBOX"
        yield client
        client.logout()
    finally:
        server.terminate()
        server.wait(timeout=10)


def hosting(host: str, country: str, asn: int | None = 64500, cdn: str = "") -> TracedHost:
    """A trace as DNS and the GeoIP databases would give it, on documentation addresses."""
    return TracedHost(
        host=host,
        cname_chain=[],
        addresses=["192.0.2.10"],
        asn=asn,
        as_name=f"AS{asn} Example Hosting" if asn else "",
        country=country,
        cdn=cdn,
        source="test",
        traced_at=T0,
    )


def tracer_for(country: str, **kwargs: Any) -> Callable[[str], TracedHost]:
    return lambda host: hosting(host, country, **kwargs)


@pytest.fixture
def actioned_case(analyst: Any) -> Callable[..., Any]:
    """Make a case of `url` that an analyst assessed criminal (Category A, 7-10, girls)."""
    from turntide.cases.actions import do_assess
    from turntide.cases.models import Assessment, URLCase
    from turntide.core.urls import canonical_and_key
    from turntide.reports.actions import Checked, CheckedURL, SubmittedURL, do_receive_report

    def make(url: str, **grading: str) -> URLCase:
        # Already checked here: intake refuses the loopback site's special-use address, which
        # stands in for a hosting server in these tests.
        canonical, key = canonical_and_key(url)
        checked = Checked(valid=[CheckedURL(1, SubmittedURL(url), canonical, key.hex())])
        _report, urls = do_receive_report("public", checked)
        case = URLCase.objects.get(url_key=urls[0].url_key)
        values = {"category": "A", "age_group": "7-10", "sex": "girls", "site_type": "image_host"}
        do_assess(analyst, case, Assessment(outcome="criminal", **(values | grading)))
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def seeded_schemes(transactional_db: None) -> None:
    """The shipped classification schemes, for a transactional test: the flush after an
    earlier one removed what migrations seeded. (Serialized rollback would bring them back,
    but it also restores the role groups that the flush's post_migrate already made.)"""
    from importlib import import_module

    from django.apps import apps

    import_module("turntide.cases.migrations.0004_classification_schemes").seed_schemes(apps, None)
