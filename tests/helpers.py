"""Helpers for tests that run Turntide as a separate process, as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path


def demo_env(home: Path) -> dict[str, str]:
    """The environment of a fresh machine's demo: its own home, SQLite, no production secrets."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["TURNTIDE_HOME"] = str(home)
    env.pop("TURNTIDE_PROFILE", None)
    return env


def run_demo(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "turntide.cli", "demo", *args],
        env=demo_env(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
