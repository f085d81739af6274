"""The removal team's path in Chromium, against a demo whose worker sends over a real SMTP
server and reads a real IMAP mailbox, both on loopback: an actioned case waits for a contact
found automatically -> an analyst confirms it -> one notice groups the network's cases, an
X-ARF report per URL, through the outbox -> the host's reply is read from the mailbox -> check
-> confirmed removed -> the figures count it."""

from __future__ import annotations

import imaplib
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect

from tests.browser.conftest import CHROMIUM
from tests.helpers import demo_env, demo_serving, free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

URLS = ("http://removal-path-1.demo.test/a.html", "http://removal-path-2.demo.test/b.html")
CONTACT = "abuse@path-hosting.example"

# Run in the demo's environment: two cases actioned and traced to one documentation network
# whose abuse address RDAP "found" (a suggestion an analyst must confirm).
SETUP = f"""
import django, sys
django.setup()
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from turntide.cases.models import URLCase
from turntide.reports.actions import do_receive_report
from turntide.takedown.actions import do_start_takedown
from turntide.takedown.demo import _judge_criminal
from turntide.takedown.models import Provider
from turntide.takedown.tracing import TracedHost

Provider.objects.create(asn=64511, name="Path Hosting", suggested_email="{CONTACT}")
now = timezone.now()
for url in {URLS!r}:
    _report, urls = do_receive_report("public", [url])
    case = URLCase.objects.get(url_key=urls[0].url_key)
    _judge_criminal(case)
    found = TracedHost(case.canonical_url.split("/")[2], [], ["192.0.2.10"], 64511,
        "Path Hosting", settings.TURNTIDE_HOME_COUNTRY, "", "test", now)
    do_start_takedown(case, now, tracer=lambda host, found=found: found)
    print(case.code)
"""


def copy_demo(source: Path, target: Path) -> None:
    """The prepared demo, copied consistently even while another server writes to it."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("turntide.sqlite3*"))
    live = sqlite3.connect(source / "turntide.sqlite3")
    with closing(live), closing(sqlite3.connect(target / "turntide.sqlite3")) as copy:
        live.backup(copy)


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[int, list[EmailMessage]]]:
    """A real SMTP server on loopback: its port, and the messages it received."""
    received: list[EmailMessage] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            received.append(message)
            return "250 Message accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, received
    controller.stop()


@pytest.fixture(scope="module")
def imap_port() -> Iterator[int]:
    port = free_port()
    pymap = str(Path(sys.executable).parent / "pymap")
    listen = ["--host", "127.0.0.1", "--port", str(port), "--no-tls"]
    server = subprocess.Popen(
        [pymap, *listen, "dict", "--demo-user", "abuse", "--demo-password", "mailbox-pw"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield port
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def removal_demo(
    demo_home: Path,
    tmp_path_factory: pytest.TempPathFactory,
    smtp_server: tuple[int, list[EmailMessage]],
    imap_port: int,
) -> Iterator[tuple[str, list[str]]]:
    home = tmp_path_factory.mktemp("removal") / "home"
    copy_demo(demo_home, home)
    smtp_port, _received = smtp_server
    env = demo_env(home) | {
        "TURNTIDE_SMTP_HOST": "127.0.0.1",
        "TURNTIDE_SMTP_PORT": str(smtp_port),
        "TURNTIDE_SMTP_STARTTLS": "false",
        "TURNTIDE_IMAP_HOST": "127.0.0.1",
        "TURNTIDE_IMAP_PORT": str(imap_port),
        "TURNTIDE_IMAP_USER": "abuse",
        "TURNTIDE_IMAP_PASSWORD": "mailbox-pw",
        "TURNTIDE_IMAP_TLS": "false",
        "DJANGO_SETTINGS_MODULE": "turntide.settings",
    }
    codes = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    with demo_serving(env) as base:
        yield base, codes


def wait_for(condition: Any, what: str, seconds: float = 60.0) -> Any:
    """Poll until the worker has done its part (not a timing assertion: a bound on waiting)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"waited in vain for {what}")


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("turntide-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_a_case_goes_from_actioned_to_counted_removed_through_the_workbench(
    browser: Any,
    removal_demo: tuple[str, list[str]],
    smtp_server: tuple[int, list[EmailMessage]],
    imap_port: int,
) -> None:
    base, (first, second) = removal_demo
    _port, smtp_inbox = smtp_server
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, base, "analyst")

    page.goto(f"{base}/takedown/?stage=needs_contact")
    for code in (first, second):
        expect(page.locator(f"#row-{code}")).to_contain_text("Needs a contact")
    expect(page.locator(f"#row-{first}")).to_contain_text(f"{CONTACT} (to confirm)")

    page.locator(f"#row-{first}").get_by_role("link", name=first).click()
    expect(page.locator("#w-email")).to_have_value(CONTACT)
    page.get_by_role("button", name="Confirm contact").click()
    expect(page.locator(".messages")).to_contain_text("notices of 2 cases waiting for it")

    [notice] = wait_for(lambda: [m for m in smtp_inbox if m["To"] == CONTACT], "the notice")
    reports = [json.loads(part.get_content()) for part in notice.iter_attachments()]
    assert sorted(report["url"] for report in reports) == sorted(URLS)
    assert {(report["category"], report["type"]) for report in reports} == {("content", "csam")}

    mailbox = imaplib.IMAP4("127.0.0.1", imap_port)
    mailbox.login("abuse", "mailbox-pw")
    reply = (
        f"From: {CONTACT}\r\nSubject: Re: {notice['Subject']}\r\n"
        f"Message-ID: <reply@path-hosting.example>\r\nIn-Reply-To: {notice['Message-ID']}\r\n"
        "\r\nBoth addresses are removed.\r\n"
    )
    mailbox.append("INBOX", None, None, reply.encode())
    mailbox.logout()

    page.goto(f"{base}/takedown/")
    page.get_by_role("button", name="Read the abuse mailbox now").click()

    def reply_seen() -> bool:
        page.goto(f"{base}/takedown/?stage=reply")
        return page.locator(f"#row-{first}").count() == 1

    wait_for(reply_seen, "the reply to be read from the mailbox")
    page.locator(f"#row-{first}").get_by_role("button", name="Check now").click()
    expect(page.locator(".messages")).to_contain_text("A check runs within minutes.")

    page.goto(f"{base}/takedown/cases/{first}/")
    expect(page.locator(".notices")).to_contain_text("Both addresses are removed.")
    page.get_by_role("button", name="Confirm removed").click()
    expect(page.locator(".messages")).to_contain_text("Removal confirmed.")
    expect(page.locator("#removed-at")).not_to_have_text("—")

    page.close()

    figures = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(figures, base, "manager")
    figures.goto(f"{base}/takedown/figures/")
    # The page shows the 25 hosts removed most (the demo's history has many); the CSV has all.
    rows = figures.request.get(f"{base}/takedown/figures.csv").text().splitlines()
    assert any(row.startswith("host,removal-path-1.demo.test,1,") for row in rows)
    expect(figures.locator("table.figures-asn")).to_contain_text("AS64511")
    figures.close()
