"""The demo manager reads the dashboard in a real browser: charts drawn, no CSP violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_the_manager_sees_charts_of_the_demo_history(demo_server, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(f"{demo_server}/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("turntide-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()

    page.goto(f"{demo_server}/insights/?period=2021&compare=2019")
    trend = page.locator("#chart-trend svg.chart-svg")
    box = trend.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 100
    # Years of history: one point per year on each line, the latest above the earliest.
    points = page.locator("#chart-trend polyline").first.get_attribute("points").split()
    assert len(points) >= 8
    assert float(points[-1].split(",")[1]) < float(points[0].split(",")[1])
    assert page.locator("svg.chart-svg").count() >= 8
    assert page.locator("#chart-hosting_country rect").count() >= 5
    assert int(page.locator("#urls-actioned").text_content().replace(",", "")) > 500
    assert page.get_by_role("img", name="URLs assessed and actioned per year").count() == 1

    page.get_by_role("link", name="Printable annual report 2021").click()
    page.wait_for_load_state()
    assert page.locator("#hosting-countries tbody tr").count() >= 5
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()
    assert page.locator("#chart-trend svg.chart-svg").is_visible()
    assert console_errors == []  # no CSP violation or script error
    context.close()


def test_the_dashboard_reads_at_a_glance_and_the_campaign_legend_fits(demo_server, browser) -> None:
    """Headline figures first, grouped in thousands; charts side by side with their tables
    folded; the campaign page's legend drawn as small swatches; no CSP error, axe clean."""
    from tests.browser.pages import log_in, serious_accessibility_issues

    for bypass_csp in (False, True):  # axe needs the CSP lifted; the CSP check needs it on
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, bypass_csp=bypass_csp
        )
        page = context.new_page()
        console_errors = log_in(page, demo_server, "manager")
        page.goto(f"{demo_server}/insights/?period=2023")
        glance = page.locator("#glance li")
        assert glance.count() == 6
        assert re.fullmatch(
            r"\d{1,3}(,\d{3})+", glance.nth(1).locator(".glance-value").inner_text()
        )
        first, second = (page.locator("figure.chart").nth(i).bounding_box() for i in (0, 1))
        assert first is not None
        assert second is not None
        assert first["y"] == second["y"]
        assert second["x"] > first["x"] + first["width"]
        table = page.locator("#chart-trend table.data")
        assert not table.is_visible()
        page.locator("#chart-trend summary").click()
        assert table.is_visible()
        assert page.evaluate("document.documentElement.scrollHeight") < 3500
        if bypass_csp:
            assert serious_accessibility_issues(page) == []

        page.goto(f"{demo_server}/insights/campaigns/")
        page.locator("main a[href^='/insights/campaigns/PC-']").first.click()
        page.wait_for_load_state()
        swatch = page.locator("ul.legend .swatch").first.bounding_box()
        assert swatch is not None
        assert swatch["width"] < 20
        if bypass_csp:
            assert serious_accessibility_issues(page) == []
        else:
            assert console_errors == []  # no CSP violation or script error
        context.close()
