"""`turntide demo --no-serve` prepares a working instance, and running it again is safe."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import demo_env, free_port, run_demo

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


def test_the_demo_keeps_its_mail_in_files_under_its_home(demo_home: Path) -> None:
    mail = "".join(path.read_text(encoding="utf-8") for path in (demo_home / "mail").iterdir())
    assert "To: abuse@hosting.example" in mail  # the removal story's notice


def test_the_served_demo_prints_its_logins_after_start_up_and_then_stays_quiet(
    demo_home: Path,
) -> None:
    lines: list[str] = []
    announced = threading.Event()
    base = f"http://127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", "demo", "--addr", base.removeprefix("http://")],
        env=demo_env(demo_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.append(line)
            if line.startswith("Mail the demo sends"):
                announced.set()
        announced.set()  # it ended: the assertions below say how

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        announced.wait(timeout=600)  # a loaded CI machine can be slow to seed and start
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(f"{base}/no-such-page/", timeout=10)
        with urllib.request.urlopen(f"{base}/report/", timeout=10) as page:
            assert "Example Hotline (demo)" in page.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
        reader.join(timeout=10)
    output = "".join(lines)
    assert output.index("Quit the server with CONTROL-C.") < output.index("Demo logins")
    assert "  manager     manager" in output
    assert "Task id=" not in output
    [mention] = [line for line in lines if "no-such-page" in line]  # no access line as well
    assert "WARNING django.request Not Found: /no-such-page/" in mention
