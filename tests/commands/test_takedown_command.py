"""`turntide takedown check` (contract) and `turntide takedown trace`."""

from __future__ import annotations

import io
import json
import os
import sys

import pytest

from tests.helpers import run_turntide
from tests.takedown.loopback import LoopbackSite, Page
from tests.takedown.mmdb import write_mmdb
from tests.test_settings import PRODUCTION_SECRETS, run_in_production
from turntide.cli import main


@pytest.fixture
def site():
    with LoopbackSite() as running:
        running.pages["/up.html"] = Page()
        running.pages["/moved"] = Page(status=301, headers={"Location": "http://elsewhere.test/"})
        yield running


@pytest.fixture
def private_allowed(settings):
    settings.TURNTIDE_CHECKER_ALLOW_PRIVATE = True


def test_check_prints_state_status_and_url_per_line_in_order(capsys, site, private_allowed) -> None:
    urls = [site.url("/up.html"), site.url("/gone.html"), site.url("/moved"), "http://127.0.0.1:1/"]
    assert main(["takedown", "check", *urls]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"online 200 {urls[0]}",
        f"offline 404 {urls[1]}",
        f"redirect 301 {urls[2]}",
        f"offline - {urls[3]}",
    ]


def test_check_refuses_loopback_without_the_opt_in(capsys, site) -> None:
    assert main(["takedown", "check", site.url("/up.html")]) == 0
    assert capsys.readouterr().out == f"refused - {site.url('/up.html')}\n"
    assert site.hits == []


def test_check_reads_urls_from_stdin(capsys, monkeypatch, site, private_allowed) -> None:
    lines = f"{site.url('/up.html')}\n\n  {site.url('/gone.html')}  \n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["takedown", "check", "--jobs", "1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"online 200 {site.url('/up.html')}",
        f"offline 404 {site.url('/gone.html')}",
    ]


def test_a_long_list_keeps_its_order_across_batches(
    capsys, monkeypatch, site, private_allowed
) -> None:
    paths = ["/up.html" if n % 3 else f"/gone/{n}" for n in range(70)]  # --jobs 2: batches of 32
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(site.url(p) + "\n" for p in paths)))
    assert main(["takedown", "check", "--jobs", "2"]) == 0
    expected = [
        f"online 200 {site.url(p)}" if p == "/up.html" else f"offline 404 {site.url(p)}"
        for p in paths
    ]
    assert capsys.readouterr().out.splitlines() == expected


def test_an_invalid_url_is_unknown_on_stdout_named_on_stderr_and_exits_2(
    capsys, site, private_allowed
) -> None:
    urls = ["gopher://example.com/", site.url("/up.html"), "http://host.test:99999/"]
    assert main(["takedown", "check", *urls]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "unknown - gopher://example.com/",
        f"online 200 {urls[1]}",
        "unknown - http://host.test:99999/",
    ]
    assert "gopher://example.com/" in captured.err
    assert "http://host.test:99999/" in captured.err


def test_jobs_must_be_positive(capsys) -> None:
    assert main(["takedown", "check", "--jobs", "0", "http://example.com/"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_trace_prints_one_json_object_per_host(capsys, settings, tmp_path) -> None:
    records = {"203.0.113.0/24": {"autonomous_system_number": 64500}}
    settings.TURNTIDE_GEOIP_ASN_DB = str(write_mmdb(tmp_path / "asn.mmdb", "GeoLite2-ASN", records))
    assert main(["takedown", "trace", "203.0.113.7", "2001:db8::1"]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["host"] == "203.0.113.7"
    assert first["addresses"] == ["203.0.113.7"]
    assert first["asn"] == 64500
    assert first["source"] == "maxmind:asn.mmdb,geoip2fast"
    assert first["traced_at"].endswith("+00:00")
    assert second["asn"] is None
    assert set(first) == {
        "host", "cname_chain", "addresses", "asn", "as_name", "country", "cdn", "source",
        "traced_at",
    }  # fmt: skip


def test_the_command_line_opts_in_through_the_environment(site, tmp_path) -> None:
    env = {**os.environ, "TURNTIDE_CHECKER_ALLOW_PRIVATE": "1", "TURNTIDE_HOME": str(tmp_path)}
    env.pop("TURNTIDE_PROFILE", None)
    result = run_turntide(env, "takedown", "check", stdin=site.url("/up.html") + "\n")
    assert (result.returncode, result.stdout) == (0, f"online 200 {site.url('/up.html')}\n")
    assert [hit.method for hit in site.hits] == ["HEAD"]


def test_production_refuses_to_start_with_private_checks_allowed() -> None:
    env = {**PRODUCTION_SECRETS, "TURNTIDE_CHECKER_ALLOW_PRIVATE": "1"}
    result = run_in_production(env, "takedown", "check", "http://example.com/")
    assert result.returncode != 0
    assert "TURNTIDE_CHECKER_ALLOW_PRIVATE is for the demo and tests only" in result.stderr
