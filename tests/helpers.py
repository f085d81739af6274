"""Helpers for tests that use Turntide as people do: separate processes, ports, parallel callers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections

THREADS = 4
# (persona fixture, status) for a page that managers and administrators alone may open.
MANAGERS_AND_ADMINISTRATORS = [
    ("manager", 200),
    ("administrator", 200),
    ("analyst", 403),
    ("senior_analyst", 403),
    ("researcher", 403),
    ("outsider", 403),
]


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


def run_at_once(work: Callable[[int], None]) -> list[BaseException]:
    """Start `THREADS` threads that call `work` at the same moment; return their errors."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def runner(number: int) -> None:
        try:
            barrier.wait()
            work(number)
        except BaseException as error:  # reported to the test, not swallowed
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def run_turntide(
    env: dict[str, str] | None, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `turntide` command in its own process, as an administrator would, whatever
    its exit status (None: this process's environment)."""
    return subprocess.run(
        [sys.executable, "-m", "turntide.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def turntide(env: dict[str, str], *args: str) -> str:
    """The command's output; a failing command fails the test."""
    result = run_turntide(env, *args)
    result.check_returncode()
    return result.stdout


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """`turntide serve` on a free loopback port, until the block ends; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env | {"TURNTIDE_WEB_WORKERS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the master and its worker, stopped together below
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@contextmanager
def demo_serving(env: dict[str, str], seconds: float = 180.0) -> Iterator[str]:
    """`turntide demo` on a free loopback port, until the block ends; yields its base URL
    once its public form answers (the demo seeds its data first)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", "demo", "--addr", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                urllib.request.urlopen(f"{base}/report/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("the demo server did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
