"""The member portal in a real browser, as the demo member: issue a token, see it once,
revoke it; no CSP violation or script error on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_the_demo_member_issues_sees_once_and_revokes_a_token(demo_server: str, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    page.goto(f"{demo_server}/members/")
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill("turntide-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/members/$"))
    expect(page.get_by_role("heading", name="Demo ISP", exact=True)).to_be_visible()
    expect(page.locator("#sync-command")).to_contain_text(f"--server {demo_server}")

    page.get_by_role("link", name="Tokens").click()
    page.get_by_role("checkbox", name="url-list", exact=True).check()
    page.get_by_label("Where it is used").fill("browser test resolver")
    page.get_by_label("Days until it expires").fill("7")
    page.get_by_role("button", name="Issue token").click()

    secret = page.locator("#token-secret").inner_text()
    assert re.fullmatch(r"tt_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}", secret)
    prefix = secret.split("_")[1]
    row = page.locator(f"#token-{prefix}")
    expect(row).to_contain_text("browser test resolver")
    expect(row.locator(".state")).to_have_text("active")

    page.goto(f"{demo_server}/members/tokens/")  # shown once: not on the next visit
    expect(page.locator("#token-secret")).to_have_count(0)
    assert secret not in page.content()

    page.get_by_role("button", name=f"Revoke token {prefix}").click()
    page.wait_for_url(re.compile(r".*/members/tokens/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Token {prefix} is revoked")
    expect(page.locator(f"#token-{prefix} .state")).to_have_text("revoked")
    expect(page.get_by_role("button", name=f"Revoke token {prefix}")).to_have_count(0)

    assert errors == []  # no CSP violation or script error
    context.close()
