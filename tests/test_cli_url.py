"""`turntide url canon` and `turntide url expressions`."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from turntide.cli import main


def test_canon_prints_one_canonical_url_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["url", "canon", "HTTP://WWW.Example.COM/a/../b#top", "example.test"]) == 0
    out, err = capsys.readouterr()
    assert out == "http://www.example.com/b\nhttp://example.test/\n"
    assert err == ""


def test_canon_names_each_invalid_input_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["url", "canon", "ftp://example.com/", "example.com/ok", "http://"]) == 2
    out, err = capsys.readouterr()
    assert out == "http://example.com/ok\n"
    lines = err.splitlines()
    assert len(lines) == 2
    assert "'ftp://example.com/'" in lines[0]
    assert "not a web address" in lines[0]
    assert "'http://'" in lines[1]
    assert "no host name" in lines[1]


def test_canon_reads_stdin_when_given_no_urls(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("example.com/%41\n\n  \n192.0.2.1:80/x\r\n"))
    assert main(["url", "canon"]) == 0
    assert capsys.readouterr().out == "http://example.com/A\nhttp://192.0.2.1/x\n"


def test_expressions_prints_the_lookup_expressions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["url", "expressions", "https://a.b.example:8443/1/2.html?p=1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "a.b.example/1/2.html?p=1",
        "a.b.example/1/2.html",
        "a.b.example/",
        "a.b.example/1/",
        "b.example/1/2.html?p=1",
        "b.example/1/2.html",
        "b.example/",
        "b.example/1/",
    ]


def test_expressions_of_an_invalid_url_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["url", "expressions", "javascript:alert(1)"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "'javascript:alert(1)'" in err


def test_the_command_runs_as_installed_without_loading_django() -> None:
    program = (
        "import sys; from turntide.cli import main; code = main(sys.argv[1:]); "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django loaded'; "
        "sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, "url", "canon", "http://example.com/%7e", "ftp://x.test"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == "http://example.com/~\n"
    assert "'ftp://x.test'" in result.stderr
