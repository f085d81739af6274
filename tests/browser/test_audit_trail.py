"""A manager reads the audit trail in a real browser: filters, pages, the CSV download."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from tests.browser.pages import log_in

CHROMIUM = Path("/usr/bin/chromium")
# Where to save screenshots for a person to look at (unset: none are taken).
SHOTS = Path(os.environ["TURNTIDE_SCREENSHOTS"]) if "TURNTIDE_SCREENSHOTS" in os.environ else None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_the_manager_filters_pages_and_downloads_the_trail(demo_server, browser) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    console_errors = log_in(page, demo_server, "manager")

    page.get_by_role("link", name="Audit trail").click()
    assert page.get_by_role("heading", name="Chain verification").is_visible()
    page.get_by_label("Action").fill("account.")
    page.get_by_label("Actor").fill("manager")
    page.get_by_label("Per page").select_option("25")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    if SHOTS:
        page.screenshot(path=SHOTS / "audit-trail.png")
    cells = page.locator("table.trail tbody tr td:nth-child(4)").all_inner_texts()
    assert cells
    assert all(cell.startswith("account.") for cell in cells)
    actors = set(page.locator("table.trail tbody tr td:nth-child(3)").all_inner_texts())
    assert actors == {"manager"}
    assert page.get_by_label("Action").input_value() == "account."  # the filter stays shown

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these events as CSV").click()
    table = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert table[0][:4] == ["sequence", "occurred_at", "actor", "action"]
    assert {row[2] for row in table[1:]} == {"manager"}

    page.goto(f"{demo_server}/audit/?size=25")
    newest = page.locator("table.trail tbody tr td:first-child").all_inner_texts()
    page.get_by_role("link", name="Older").click()
    older = page.locator("table.trail tbody tr td:first-child").all_inner_texts()
    assert int(older[0]) < int(newest[-1])
    page.get_by_role("link", name="Newer", exact=False).click()
    assert page.locator("table.trail tbody tr td:first-child").all_inner_texts() == newest
    assert console_errors == []
    context.close()
