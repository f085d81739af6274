"""`turntide demo --no-serve` prepares a working instance, and running it again is safe."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers import run_demo

COUNTED_TABLES = ["auth_user", "reports_report", "cases_urlcase", "cases_assessment"]


def counts(home: Path) -> dict[str, int]:
    with sqlite3.connect(home / "turntide.sqlite3") as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED_TABLES}  # noqa: S608


def test_demo_prepares_synthetic_data_and_prints_the_logins(demo_home: Path) -> None:
    seeded = counts(demo_home)
    assert seeded["auth_user"] == 6
    assert seeded["reports_report"] == 300
    assert 200 <= seeded["cases_urlcase"] <= 400
    assert seeded["cases_assessment"] > 100


def test_running_the_demo_again_adds_nothing(demo_home: Path) -> None:
    before = counts(demo_home)
    result = run_demo(demo_home, "--no-serve")
    assert "0 new objects seeded" in result.stdout
    for username in ("analyst", "senior", "manager", "admin", "researcher", "member"):
        assert username in result.stdout
    assert "turntide-demo" in result.stdout
    assert counts(demo_home) == before


def test_demo_data_uses_reserved_names_only(demo_home: Path) -> None:
    from turntide.core.urls import canonicalize

    with sqlite3.connect(demo_home / "turntide.sqlite3") as db:
        urls = [row[0] for row in db.execute("SELECT canonical_url FROM cases_urlcase")]
    reserved = (".example.com/", ".example.net/", ".example.org/", ".test/", ".example/")
    for url in urls:
        assert url == canonicalize(url)
        host_end = url.index("/", len("http://")) + 1
        assert url[:host_end].endswith(reserved), url
