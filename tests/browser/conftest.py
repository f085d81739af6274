"""Browser tests: one demo server and one headless Chromium for the whole session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import demo_env, demo_serving

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def demo_server(demo_home: Path) -> Iterator[str]:
    # Every browser test reports from 127.0.0.1; the limit itself is tested elsewhere.
    with demo_serving(demo_env(demo_home) | {"TURNTIDE_REPORT_LIMIT_PER_HOUR": "1000"}) as base:
        yield base


# Package scope: Playwright's sync API keeps an event loop in this thread while it is open,
# and Django refuses database work where a loop runs, so the tests after this folder must
# not inherit it.
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()
