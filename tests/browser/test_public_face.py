"""In Chromium, the form and its confirmation carry the hotline's name and logo: loaded from
the site itself under its strict CSP, and accessible."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_public_form import serious_accessibility_issues
from tests.helpers import demo_env, turntide

BRANDING = """
import io
from PIL import Image, ImageDraw
from turntide.reports.models import HotlineGuidance
picture = Image.new("RGB", (400, 400), "white")
ImageDraw.Draw(picture).ellipse((20, 20, 380, 380), fill="teal")
out = io.BytesIO(); picture.save(out, "WEBP")
guidance = HotlineGuidance.current()
guidance.hotline_name = "Example Hotline"
guidance.set_logo(out.getvalue())
guidance.save()
"""
UNBRANDED = """
from turntide.reports.models import HotlineGuidance
guidance = HotlineGuidance.current(); guidance.hotline_name = ""; guidance.remove_logo()
guidance.save()
"""


@pytest.fixture
def branded(demo_home: Path) -> Iterator[None]:
    """The demo hotline with its own name and a generated logo, for this test only."""
    turntide(demo_env(demo_home), "manage", "shell", "-c", BRANDING)
    yield
    turntide(demo_env(demo_home), "manage", "shell", "-c", UNBRANDED)


def test_the_logo_loads_from_the_site_under_its_csp_and_the_pages_stay_accessible(
    demo_server: str, browser, branded: None
) -> None:
    strict = browser.new_context(locale="fr")
    page = strict.new_page()
    errors: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{demo_server}/report/")
    expect(page.locator("header .brand")).to_have_text("Example Hotline")
    assert page.title().endswith("· Example Hotline")
    assert page.locator("header .brand img.logo").evaluate("img => img.naturalWidth") == 160
    assert errors == []  # no CSP violation, nothing failed to load
    assert hosts == {demo_server.split("/")[2]}
    strict.close()

    checked = browser.new_context(locale="en", bypass_csp=True)  # axe-core is injected
    page = checked.new_page()
    page.goto(f"{demo_server}/report/")
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Web addresses (one per line)").fill("http://face.example/logo-test")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".reference")).to_be_visible()
    expect(page.locator("header .brand img.logo")).to_be_visible()
    assert serious_accessibility_issues(page) == []
    checked.close()
