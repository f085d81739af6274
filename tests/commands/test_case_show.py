"""`turntide case show URL --format json` (contract)."""

from __future__ import annotations

import json

import pytest

from turntide.cli import main
from turntide.reports.actions import do_receive_report


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spelling",
    [
        "http://case.example/gallery/1.html",
        "HTTPS://CASE.EXAMPLE:8443/gallery/./x/../1.html#top",
        "case.example/gallery/%31.html",
    ],
)
def test_any_spelling_finds_the_case(capsys, reported_case, spelling: str) -> None:
    do_receive_report("public", ["case.example/gallery/1.html"])
    assert main(["case", "show", spelling, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["code"] == reported_case.code
    assert shown["canonical_url"] == "http://case.example/gallery/1.html"
    assert shown["status"] == "new"
    assert shown["reports"] == 2
    assert shown["sources"] == ["public"]


@pytest.mark.django_db
def test_an_address_nobody_reported_exits_3(capsys) -> None:
    assert main(["case", "show", "http://never.example/", "--format", "json"]) == 3
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_an_invalid_url_exits_2_with_its_reason(capsys) -> None:
    assert main(["case", "show", "javascript:alert(1)", "--format", "json"]) == 2
    assert "javascript:alert(1)" in capsys.readouterr().err
