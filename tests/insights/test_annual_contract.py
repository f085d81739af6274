"""`turntide stats annual --format json` is a contract: docs/insights.md writes it out, and the
command prints exactly what it shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.commands.test_stats_command import history  # noqa: F401 (the example's history)
from turntide.cli import main
from turntide.insights.figures import AnnualFigures

DOC = (Path(__file__).resolve().parents[2] / "docs" / "insights.md").read_text()


def test_the_contract_lists_every_key_in_the_order_printed() -> None:
    section = DOC.split("## `turntide stats annual")[1]
    listed = re.findall(r"^\| `(\w+)` \|", section, re.M)
    assert listed == list(AnnualFigures.__annotations__)


@pytest.mark.django_db
@pytest.mark.usefixtures("history")
def test_the_command_prints_the_example_of_the_contract_byte_for_byte(capsys) -> None:
    (example,) = re.findall(r"```json\n(.*?)```", DOC, re.S)

    code = main(["stats", "annual", "--year", "2021", "--compare-to", "2019", "--format", "json"])

    assert code == 0
    assert capsys.readouterr().out == example
