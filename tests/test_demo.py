"""`turntide demo --no-serve` prepares a working instance, and running it again is safe."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers import run_demo

COUNTS = {
    # The demo's own accounts (browser tests invite others into the same home).
    "users": "SELECT count(*) FROM auth_user WHERE username IN "
    "('analyst', 'analyst2', 'senior', 'manager', 'admin', 'researcher', 'member')",
    # Seeded references are TT-DM00-0001...; a random one may begin TT-DM too.
    "reports": "SELECT count(*) FROM reports_report "
    "WHERE reference GLOB 'TT-DM[0-9][0-9]-[0-9][0-9][0-9][0-9]'",
    "cases": "SELECT count(*) FROM cases_urlcase WHERE imported_from = ''",
    "history": "SELECT count(*) FROM cases_urlcase WHERE imported_from = 'demo-history'",
    "assessments": "SELECT count(*) FROM cases_assessment",
    "open cases": "SELECT count(*) FROM cases_urlcase WHERE status = 'new'",
}


def counts(home: Path) -> dict[str, int]:
    """Counts of demo objects (other tests may add reports of their own to this home)."""
    with sqlite3.connect(home / "turntide.sqlite3") as db:
        return {name: db.execute(query).fetchone()[0] for name, query in COUNTS.items()}


def test_demo_prepares_synthetic_data_and_prints_the_logins(demo_home: Path) -> None:
    seeded = counts(demo_home)
    assert seeded["users"] == 7
    assert seeded["reports"] == 300
    assert 300 <= seeded["cases"] <= 600
    assert seeded["assessments"] > 250
    assert 20 <= seeded["open cases"] <= 100  # a queue the demo analyst can work
    assert seeded["history"] > 10_000  # years of judged URLs, for the dashboard's trends


def test_running_the_demo_again_adds_nothing(demo_home: Path) -> None:
    before = counts(demo_home)  # (runs before the browser tests add a report)
    result = run_demo(demo_home, "--no-serve")
    assert "0 new objects seeded" in result.stdout
    for username in ("analyst", "analyst2", "senior", "manager", "admin", "researcher", "member"):
        assert username in result.stdout
    assert "turntide-demo" in result.stdout
    assert counts(demo_home) == before


def test_demo_data_uses_reserved_names_only(demo_home: Path) -> None:
    from urllib.parse import urlsplit

    from turntide.core.urls import canonicalize

    with sqlite3.connect(demo_home / "turntide.sqlite3") as db:
        urls = [row[0] for row in db.execute("SELECT canonical_url FROM cases_urlcase")]
    reserved = (".example.com", ".example.net", ".example.org", ".test", ".example")
    for url in urls:
        assert url == canonicalize(url)
        assert f".{urlsplit(url).hostname}".endswith(reserved), url
