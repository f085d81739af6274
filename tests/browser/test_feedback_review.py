"""The review list of members' feedback in Chromium: two members report listed entries through
the API of the running demo; an analyst sees them counted and marks one reviewed."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM
from tests.browser.pages import log_in, serious_accessibility_issues
from tests.helpers import demo_env

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

# Two members licensed for both lists and feedback; prints their tokens, then a listed hash
# and a listed URL expression of the demo.
SETUP = """
import django
django.setup()
from turntide.hashes.models import HashEntry
from turntide.members.actions import do_create_organisation, do_issue_token
from turntide.members.models import URLListEntry
services = ["hash-list", "url-list-plain", "feedback"]
for name in ("Review Platform", "Review ISP"):
    organisation = do_create_organisation("system", name, services)
    print(do_issue_token("system", organisation, services)[1])
print(HashEntry.objects.filter(withdrawn_version__isnull=True, type="pdq").first().value)
print(URLListEntry.objects.filter(removed_version__isnull=True).first().expression)
"""


def send(base: str, token: str, *items: dict[str, str]) -> None:
    request = urllib.request.Request(
        f"{base}/api/v1/lists/feedback",
        data=json.dumps({"items": list(items)}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert all("code" in result for result in json.load(response)["results"])


def test_an_analyst_reviews_members_feedback(
    demo_server: str, demo_home: Path, browser, tmp_path: Path
) -> None:
    env = demo_env(demo_home) | {"DJANGO_SETTINGS_MODULE": "turntide.settings"}
    platform, isp, pdq, expression = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    harmless = {"kind": "hash", "value": pdq, "verdict": "false_positive", "note": "a logo"}
    send(demo_server, platform, harmless)
    send(demo_server, isp, harmless, {"kind": "url", "value": expression, "verdict": "confirmed"})

    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors = log_in(page, demo_server, "analyst")
    page.get_by_role("link", name="Member feedback").click()
    entries = page.get_by_role("table", name="Entries awaiting review")
    hash_row = entries.get_by_role("row").filter(has_text=pdq[:20])
    expect(hash_row.get_by_role("cell")).to_contain_text(["pdq", "", "2", "0", "2"])
    members = page.get_by_role("table", name="Per member")
    expect(members.get_by_role("row").filter(has_text="Review ISP")).to_contain_text("1")
    page.screenshot(path=tmp_path / "feedback-review.png", full_page=True)
    assert serious_accessibility_issues(page) == []

    hash_row.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_text("Feedback marked reviewed")).to_be_visible()
    expect(entries.get_by_role("row").filter(has_text=pdq[:20])).to_have_count(0)
    assert serious_accessibility_issues(page) == []
    assert errors == []
    context.close()
