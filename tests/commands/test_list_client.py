"""`turntide list sync` and `turntide list check` (contract), against a live server."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from tests.helpers import demo_env, serving, turntide
from turntide.cli import main

PROXY_LOG = """\
1764140000.101 200 GET http://listed.example/gallery/1.html - DIRECT text/html
1764140000.202 200 GET http://clean.example/ - DIRECT text/html
1764140000.303 200 GET http://LISTED.example/gallery/./1.html#x - DIRECT text/html
"""


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
    with serving(env) as server:
        yield server, token, env


def _one_row(home: Path) -> Path:
    path = home / "one.csv"
    path.write_text("url\nhttp://listed.example/gallery/1.html\n")
    return path


def test_sync_then_check_proxy_log_lines(
    listed_server, tmp_path: Path, capsys, monkeypatch
) -> None:
    server, token, _env = listed_server
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
    server, _token, _env = listed_server
    local = tmp_path / "urls.list"
    assert (
        main(["list", "sync", "--server", server, "--token", "tt_bad_token", "--out", str(local)])
        == 2
    )
    assert "401" in capsys.readouterr().err
    assert not local.exists()


def test_a_revoked_token_is_told_so_and_when(listed_server, tmp_path: Path, capsys) -> None:
    server, _token, env = listed_server
    turntide(env, "members", "create", "Revoked ISP", "--services", "url-list")
    token = turntide(env, "members", "token", "Revoked ISP", "--services", "url-list").strip()
    script = (
        "from turntide.members.actions import do_revoke_token as r;"
        "from turntide.members.models import APIToken as T;"
        "[r('system', t) for t in T.objects.filter(organisation__name='Revoked ISP')]"
    )
    turntide(env, "manage", "shell", "-c", script)
    local = tmp_path / "url-list.bin"
    assert main(["list", "sync", "--server", server, "--token", token, "--out", str(local)]) == 2
    assert re.search(r"the server answered 401: token revoked on \d{4}-", capsys.readouterr().err)
    assert not local.exists()


def test_a_keyed_member_checks_with_its_key_file(listed_server, tmp_path: Path, capsys) -> None:
    server, _token, env = listed_server
    turntide(env, "members", "create", "Keyed ISP", "--services", "url-list")
    token = turntide(env, "members", "token", "Keyed ISP", "--services", "url-list").strip()
    (tmp_path / "list.key").write_text(turntide(env, "members", "key", "Keyed ISP"))
    local = tmp_path / "urls.list"
    assert main(["list", "sync", "--server", server, "--token", token, "--out", str(local)]) == 0
    assert "(keyed: check with --key-file)" in capsys.readouterr().out
    url = "http://listed.example/gallery/1.html"
    assert main(["list", "check", "--list", str(local), url]) == 2
    assert "this list is keyed" in capsys.readouterr().err
    key_file = str(tmp_path / "list.key")
    assert main(["list", "check", "--list", str(local), "--key-file", key_file, url]) == 1
    assert capsys.readouterr().out == f"match {url}\n"


def test_after_a_key_rotation_the_client_starts_again_from_the_whole_list(
    listed_server, tmp_path: Path, capsys
) -> None:
    """Deltas under a new key would never match the entries kept under the old one."""
    server, _token, env = listed_server
    turntide(env, "members", "create", "Rotating ISP", "--services", "url-list")
    token = turntide(env, "members", "token", "Rotating ISP", "--services", "url-list").strip()
    turntide(env, "members", "key", "Rotating ISP")
    local, key_file = tmp_path / "urls.list", tmp_path / "list.key"
    sync = ["list", "sync", "--server", server, "--token", token, "--out", str(local)]
    assert main(sync) == 0
    key_file.write_text(turntide(env, "members", "key", "Rotating ISP", "--rotate"))
    capsys.readouterr()
    assert main(sync) == 0
    assert "asks for the whole list again" in capsys.readouterr().err
    url = "http://listed.example/gallery/1.html"
    assert main(["list", "check", "--list", str(local), "--key-file", str(key_file), url]) == 1
