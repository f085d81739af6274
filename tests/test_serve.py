"""`turntide serve` runs the application under gunicorn."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers import demo_env, free_port


def test_serve_answers_on_the_configured_address(demo_home: Path) -> None:
    port = free_port()
    env = demo_env(demo_home) | {"TURNTIDE_WEB_WORKERS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/report/", timeout=1) as r:
                    assert r.status == 200
                    assert b"Report child sexual abuse imagery" in r.read()
                    break
            except OSError:  # not listening yet, refused, reset or timed out
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=10)
    assert "Booting worker" in err
    assert "127.0.0.1 -" not in err  # no access log: client addresses are never written
