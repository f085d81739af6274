"""Browser tests: one demo server and one headless Chromium for the whole session."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import demo_env, free_port

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def demo_server(demo_home: Path) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", "demo", "--addr", f"127.0.0.1:{port}"],
        # Every browser test reports from 127.0.0.1; the limit itself is tested elsewhere.
        env=demo_env(demo_home) | {"TURNTIDE_REPORT_LIMIT_PER_HOUR": "1000"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/report/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the demo server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


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
