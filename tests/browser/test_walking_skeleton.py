"""A person files a report in a real browser, then the demo analyst finds it in the queue."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_a_report_filed_in_the_browser_reaches_the_analyst_queue(demo_server, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))

    page.goto(f"{demo_server}/report/")
    page.get_by_label("Web addresses").fill("http://browser-test.example/gallery/42.html")
    page.get_by_label("Where did you find it?").select_option("website")
    page.get_by_role("button", name="Send report").click()
    reference = page.locator(".reference").inner_text()
    assert reference.startswith("TT-")
    assert requested_hosts == {demo_server.split("/")[2]}
    assert [c["name"] for c in context.cookies()] == ["csrftoken"]
    context.close()

    staff = browser.new_context()
    page = staff.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(f"{demo_server}/accounts/login/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill("turntide-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{demo_server}/cases/")
    # Newest and reported once, the case is last in priority: find it as an analyst would.
    page.get_by_label("Find a case").fill("browser-test.example/gallery/42")
    page.get_by_role("button", name="Find").click()
    row = page.locator("tr", has_text="http://browser-test.example/gallery/42.html")
    assert row.count() == 1
    row.get_by_role("link").click()
    assert page.locator("#case-url").inner_text() == "http://browser-test.example/gallery/42.html"
    assert console_errors == []  # no CSP violation or script error on staff pages
    staff.close()
