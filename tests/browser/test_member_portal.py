"""The member portal in a real browser, as the demo member: issue a token, copy it, reload
(nothing new is issued, the secret is gone), revoke it after confirming, and see the API
refuse it as revoked; no CSP violation or script error on the way, and axe-core clean."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM
from tests.browser.pages import log_in, serious_accessibility_issues

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def api_answer(server: str, token: str) -> tuple[int, dict[str, object]]:
    """The status and JSON body of a URL list download with `token`."""
    request = urllib.request.Request(
        f"{server}/api/v1/lists/urls?since=0", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_demo_member_issues_copies_reloads_and_revokes_a_token(
    demo_server: str, browser
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_server)
    page = context.new_page()
    errors = log_in(page, demo_server, "member")
    page.goto(f"{demo_server}/members/")
    expect(page.get_by_role("heading", name="Demo ISP", exact=True)).to_be_visible()
    steps = page.locator("#sync-command")
    expect(steps).to_contain_text("pipx install turntide")
    expect(steps).to_contain_text(f"turntide list sync --server {demo_server} --out url-list.bin")

    page.get_by_role("navigation", name="Member portal").get_by_role("link", name="Tokens").click()
    page.get_by_role("checkbox", name="url-list (URL list, hashed)").check()
    page.get_by_label("Where it is used").fill("browser test resolver")
    page.get_by_label("Days until it expires").fill("7")
    page.get_by_role("button", name="Issue token").click()
    page.wait_for_url(re.compile(r".*/members/tokens/$"))

    secret = page.locator("#token-secret").inner_text()
    assert re.fullmatch(r"tt_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}", secret)
    prefix = secret.split("_")[1]
    page.get_by_role("button", name="Copy token").click()
    expect(page.locator("#issued-token .copied")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    assert api_answer(demo_server, secret)[0] == 200

    page.reload()  # the page after the redirect: a reload neither re-issues nor re-shows
    expect(page.locator("#token-secret")).to_have_count(0)
    assert secret not in page.content()
    expect(page.locator("#tokens tr", has_text="browser test resolver")).to_have_count(1)
    expect(page.locator(f"#token-{prefix} .state")).to_have_text("active")

    page.get_by_role("link", name=f"Revoke token {prefix}…").click()
    expect(page.get_by_role("heading", name=f"Revoke token {prefix}?")).to_be_visible()
    assert api_answer(demo_server, secret)[0] == 200  # asking revoked nothing
    page.get_by_role("button", name=f"Revoke token {prefix}").click()
    page.wait_for_url(re.compile(r".*/members/tokens/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Token {prefix} is revoked")
    expect(page.locator(f"#token-{prefix} .state")).to_have_text("revoked")
    expect(page.get_by_role("link", name=f"Revoke token {prefix}…")).to_have_count(0)

    status, body = api_answer(demo_server, secret)
    assert status == 401
    assert re.fullmatch(r"token revoked on \d{4}-\d\d-\d\d \d\d:\d\d UTC", str(body["detail"]))
    assert errors == []  # no CSP violation or script error

    # axe-core is injected, which needs the page's CSP lifted: a context of its own.
    audit = browser.new_context(bypass_csp=True, storage_state=context.storage_state())
    audit_page = audit.new_page()
    for path in ["/members/", "/members/tokens/", f"/members/tokens/{prefix}/revoke/"]:
        audit_page.goto(f"{demo_server}{path}")
        assert serious_accessibility_issues(audit_page) == [], path
    audit.close()
    context.close()
