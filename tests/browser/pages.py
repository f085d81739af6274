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


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def accessibility_violations(
    page: Any, tags: list[str] = WCAG_22_AA, impacts: frozenset[str] | None = None
) -> list[str]:
    """axe-core's findings for `tags` (of `impacts`, or all), one line per rule with where it
    failed. The page's context needs `bypass_csp=True`: the CSP forbids the injected script."""
    page.add_script_tag(path=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: tags, resultTypes: ['violations']})", tags
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}; at {where(v['nodes'])}"
        for v in result["violations"]
        if impacts is None or v["impact"] in impacts
    ]


def where(nodes: list[dict[str, Any]]) -> str:
    """The first three elements that failed a rule, and how many more did."""
    first = ", ".join(node["target"][0] for node in nodes[:3])
    return first + (f" and {len(nodes) - 3} more" if len(nodes) > 3 else "")


def serious_accessibility_issues(page: Any) -> list[str]:
    """The serious and critical findings against WCAG 2.2 A and AA and axe's best practices."""
    return accessibility_violations(
        page, [*WCAG_22_AA, "best-practice"], frozenset({"serious", "critical"})
    )
