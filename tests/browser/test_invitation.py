"""A new colleague's first visit in a real browser: link, password, authenticator, login."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from django_otp.oath import totp

from tests.browser.pages import log_in
from tests.helpers import demo_env, turntide

CHROMIUM = Path("/usr/bin/chromium")
# Where to save screenshots for a person to look at (unset: none are taken).
SHOTS = Path(os.environ["TURNTIDE_SCREENSHOTS"]) if "TURNTIDE_SCREENSHOTS" in os.environ else None
PASSWORD = "a long and unusual pass phrase 42"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def code(typed_key: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows, computed from the key the page gave (base32)."""
    text = typed_key.replace(" ", "")
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_an_invited_analyst_enrols_and_logs_in(demo_server, demo_home, browser) -> None:
    env = demo_env(demo_home) | {"TURNTIDE_SITE_URL": demo_server}
    link = turntide(
        env, "staff", "invite", "nina", "--email", "nina@hotline.test", "--role", "analyst"
    ).strip()
    assert link.startswith(f"{demo_server}/accounts/enrol/")

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(link)
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    if SHOTS:
        page.screenshot(path=SHOTS / "enrol.png", full_page=True)
    key = page.locator("#totp-key").inner_text()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_label("Six-digit code from your authenticator app").fill(code(key))
    page.get_by_role("button", name="Set up my account").click()
    page.wait_for_load_state()
    assert page.url == f"{demo_server}/cases/"  # an analyst's home: the queue

    page.get_by_role("button", name="Log out nina").click()
    page.goto(link)
    assert page.get_by_role("heading", name="This link no longer works").is_visible()
    console_errors.clear()  # that page answers 404, which the console reports

    log_in(page, demo_server, "nina", PASSWORD)
    # The demo asks for no second factor; the enrolled authenticator still answers.
    page.goto(f"{demo_server}/accounts/two-factor/")
    page.get_by_label("Six-digit code from your authenticator app").fill(code(key, 1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url == f"{demo_server}/cases/"
    assert console_errors == []
    context.close()
