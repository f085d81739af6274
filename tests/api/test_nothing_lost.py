"""Nothing a reporter submitted is lost: kill the server mid-stream and count.

A client streams API submissions, each with its own Idempotency-Key. The server is killed
with SIGKILL while requests are in flight, then restarted. Every acknowledged report must
be stored, and retrying every key (acknowledged or not) must create no duplicate.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers import demo_env, free_port, turntide

SUBMISSIONS = 400


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env | {"TURNTIDE_WEB_WORKERS": "2", "TURNTIDE_API_REQUESTS_PER_MINUTE": "100000"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # one process group: the master and its workers
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=1)
            return server
        except OSError:  # not listening yet, refused, reset or timed out
            time.sleep(0.05)
    raise AssertionError("the server did not start")


def submit(port: int, token: str, number: int) -> dict[str, object] | None:
    """POST one report; its answer, or None when no answer came (the server died)."""
    body = json.dumps(
        {
            "urls": [
                {"url": f"http://stream{number % 37}.example/item/{number}/{i}"} for i in range(3)
            ]
        }
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/reports",
        data=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"stream-{number}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            answer: dict[str, object] = json.loads(response.read())
            return answer
    except OSError:  # refused, reset or timed out: no answer
        return None


def test_acknowledged_reports_survive_sigkill_and_retries_add_nothing(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    turntide(env, "manage", "migrate", "--verbosity", "0")
    turntide(env, "members", "create", "Stream Platform", "--services", "report")
    token = turntide(env, "members", "token", "Stream Platform", "--services", "report").strip()
    port = free_port()

    server = start_server(env, port)
    acknowledged: dict[int, dict[str, object]] = {}
    killed = threading.Event()

    def kill_soon() -> None:
        while len(acknowledged) < 40:
            time.sleep(0.01)
        os.killpg(server.pid, signal.SIGKILL)
        killed.set()

    threading.Thread(target=kill_soon, daemon=True).start()
    for number in range(SUBMISSIONS):
        answer = submit(port, token, number)
        if answer is None:
            break
        acknowledged[number] = answer
    server.wait(timeout=10)
    assert killed.is_set(), "the stream ended before the server was killed"
    assert 40 <= len(acknowledged) < SUBMISSIONS

    database = tmp_path / "turntide.sqlite3"
    with sqlite3.connect(database) as db:
        stored = {row[0] for row in db.execute("SELECT reference FROM reports_report")}
    assert {answer["reference"] for answer in acknowledged.values()} <= stored

    server = start_server(env, port)
    try:
        for number in range(len(acknowledged) + 5):
            answer = submit(port, token, number)
            assert answer is not None
            if number in acknowledged:
                assert answer == acknowledged[number]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    with sqlite3.connect(database) as db:
        reports = db.execute("SELECT count(*) FROM reports_report").fetchone()[0]
        urls = db.execute("SELECT count(*) FROM reports_reportedurl").fetchone()[0]
    assert reports == len(acknowledged) + 5
    assert urls == 3 * reports
