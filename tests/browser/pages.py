"""Steps that browser tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DEMO_PASSWORD = "turntide-demo"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


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


def serious_accessibility_issues(page: Any) -> list[str]:
    """axe-core's serious and critical findings against WCAG 2.2 A and AA. The page's context
    needs bypass_csp=True, since axe-core is injected."""
    page.add_script_tag(path=AXE)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'wcag22aa', 'best-practice']})"
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x)"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
