"""Freshness of the URL list, end to end, against the issue's promise (not a test).

    uv run python bench/bench_freshness.py [--cases 10]

A real `turntide serve` and `turntide worker` run on a scratch embedded home (or on
DATABASE_URL, a scratch PostgreSQL database: it is migrated and written to). For each case,
this process records a criminal assessment (as the workspace does, committing it) and then
polls GET /api/v1/lists/urls?since=V as a member would, every 0.1 s, until the case's entry
is in the delta. Printed: the latency of each, median and worst, and their ratio to the
promise (60 s) and to the anchors: IWF list updates twice a day, URLhaus every 5 minutes,
Meta's hasher-matcher-actioner aims for 10 minutes. The worker polls its queue every second
(`turntide worker --interval`), which bounds the latency from below.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROMISE_SECONDS = 60.0
ANCHORS = {"IWF (twice a day)": 12 * 3600.0, "URLhaus (5 min)": 300.0, "HMA (10 min)": 600.0}


def turntide(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "turntide.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def start(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(base: str, seconds: float = 120) -> None:
    """Wait for the server's health check: two minutes, as a loaded machine may need."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the server did not start in {seconds:.0f} s")


def fetch(base: str, token: str, since: int) -> dict[str, object]:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"{base}/api/v1/lists/urls?since={since}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        body: dict[str, object] = json.load(response)
        return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cases", type=int, default=10)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="turntide-freshness-"))
    env = {**os.environ, "TURNTIDE_HOME": str(home), "TURNTIDE_WEB_WORKERS": "1"}
    os.environ.update(env)
    turntide(env, "manage", "migrate", "--verbosity", "0")
    turntide(env, "members", "create", "Bench ISP", "--services", "url-list")
    token = turntide(env, "members", "token", "Bench ISP", "--services", "url-list").strip()

    from turntide.commands import django_setup

    django_setup()
    from turntide.accounts.actions import do_create_staff_user
    from turntide.cases.actions import do_assess
    from turntide.cases.models import Assessment, URLCase
    from turntide.reports.actions import do_receive_report

    analyst = do_create_staff_user("bench", "bench-analyst", "bench-only-password", ["analyst"])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes = [start(env, "serve", "--bind", f"127.0.0.1:{port}"), start(env, "worker")]
    try:
        wait_until_up(base)
        since = int(fetch(base, token, 0)["version"])  # type: ignore[call-overload]
        latencies = []
        for n in range(args.cases):
            _report, urls = do_receive_report("public", [f"http://fresh{n}.example/page"])
            case = URLCase.objects.get(url_key=urls[0].url_key)
            started = time.monotonic()
            do_assess(analyst, case, Assessment(outcome="criminal", category="C"))
            while True:
                delta = fetch(base, token, since)
                added = {entry["sha256"] for entry in delta["added"]}  # type: ignore[attr-defined]
                if case.url_key in added:
                    break
                if time.monotonic() - started > 2 * PROMISE_SECONDS:
                    raise SystemExit(f"case {case.code} not on the list after 120 s")
                time.sleep(0.1)
            latencies.append(time.monotonic() - started)
            since = int(delta["version"])  # type: ignore[call-overload]
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    median, worst = statistics.median(latencies), max(latencies)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"URL list freshness, {len(latencies)} assessments ({database}, worker polls every 1 s)")
    print("  each (s): " + " ".join(f"{value:.2f}" for value in latencies))
    print(f"  median {median:.2f} s, worst {worst:.2f} s")
    print(f"  worst / promise ({PROMISE_SECONDS:.0f} s): {worst / PROMISE_SECONDS:.3f} (goal <= 1)")
    for name, seconds in ANCHORS.items():
        print(f"  {name}: {seconds / worst:,.0f}x fresher at worst")


if __name__ == "__main__":
    main()
