"""`turntide list sync` and `turntide list check` (contract), against a live server."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import demo_env, free_port
from turntide.cli import main

PROXY_LOG = """\
1764140000.101 200 GET http://listed.example/gallery/1.html - DIRECT text/html
1764140000.202 200 GET http://clean.example/ - DIRECT text/html
1764140000.303 200 GET http://LISTED.example/gallery/./1.html#x - DIRECT text/html
"""


def turntide(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "turntide.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout


@pytest.fixture(scope="module")
def listed_server(tmp_path_factory: pytest.TempPathFactory):
    """A server whose URL list holds one actioned case, and a member token for it."""
    home = tmp_path_factory.mktemp("list-home")
    env = demo_env(home)
    turntide(env, "manage", "migrate", "--verbosity", "0")
    turntide(env, "members", "create", "Example ISP", "--services", "url-list")
    token = turntide(env, "members", "token", "Example ISP", "--services", "url-list").strip()
    turntide(env, "import", "reports", str(_one_row(home)))
    script = (
        "from turntide.cases.models import URLCase as C;"
        "C.objects.update(status='actioned');"
        "from turntide.members.lists import do_publish_url_list as p; print(p())"
    )
    turntide(env, "manage", "shell", "-c", script)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env | {"TURNTIDE_WEB_WORKERS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the master and its worker, stopped together below
    )
    import time
    import urllib.request

    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _one_row(home: Path) -> Path:
    path = home / "one.csv"
    path.write_text("url\nhttp://listed.example/gallery/1.html\n")
    return path


def test_sync_then_check_proxy_log_lines(
    listed_server, tmp_path: Path, capsys, monkeypatch
) -> None:
    server, token = listed_server
    local = tmp_path / "urls.list"
    assert main(["list", "sync", "--server", server, "--token", token, "--out", str(local)]) == 0
    assert "version 1: 1 entries (+1 -0)" in capsys.readouterr().out
    assert main(["list", "sync", "--server", server, "--token", token, "--out", str(local)]) == 0
    assert "version 1: 1 entries (+0 -0)" in capsys.readouterr().out

    monkeypatch.setattr(sys, "stdin", io.StringIO(PROXY_LOG))
    assert main(["list", "check", "--list", str(local)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "match http://listed.example/gallery/1.html",
        "clear http://clean.example/",
        "match http://LISTED.example/gallery/./1.html#x",
    ]
    assert main(["list", "check", "--list", str(local), "http://clean.example/x"]) == 0


def test_a_wrong_token_is_a_clear_error_and_keeps_the_file(
    listed_server, tmp_path: Path, capsys
) -> None:
    server, _token = listed_server
    local = tmp_path / "urls.list"
    assert (
        main(["list", "sync", "--server", server, "--token", "tt_bad_token", "--out", str(local)])
        == 2
    )
    assert "401" in capsys.readouterr().err
    assert not local.exists()
