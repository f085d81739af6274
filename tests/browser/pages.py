"""Steps that browser tests share."""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "turntide-demo"


def log_in(page: Any, base: str, username: str, password: str = DEMO_PASSWORD) -> list[str]:
    """Log in through the staff login page; returns the list that collects console errors."""
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return console_errors
