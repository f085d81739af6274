"""The demo manager reads the dashboard in a real browser: charts drawn, no CSP violation."""

from __future__ import annotations

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
    assert int(page.locator("#urls-actioned").inner_text().replace(",", "")) > 500
    assert page.get_by_role("img", name="URLs assessed and actioned per year").count() == 1

    page.get_by_role("link", name="Printable annual report 2021").click()
    page.wait_for_load_state()
    assert page.locator("#hosting-countries tbody tr").count() >= 5
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()
    assert page.locator("#chart-trend svg.chart-svg").is_visible()
    assert console_errors == []  # no CSP violation or script error
    context.close()
