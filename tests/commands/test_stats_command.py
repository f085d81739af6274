"""`turntide stats annual`: the contract's JSON keys, and CSV and table for people."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from tests.insights.test_statistics import decided
from turntide.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def history() -> None:
    """2019: one self-generated URL of three actioned; 2021: four of five, one harmless."""
    for self_generated, category in (("yes", "A"), ("no", "B"), ("no", "C")):
        decided(datetime(2019, 6, 1, tzinfo=UTC), category=category, self_generated=self_generated)
    for self_generated, category in (("yes", "A"), ("yes", "A"), ("yes", "B"), ("yes", "C")):
        decided(datetime(2021, 6, 1, tzinfo=UTC), category=category, self_generated=self_generated)
    decided(datetime(2021, 6, 1, tzinfo=UTC), category="C", self_generated="unclear")
    decided(datetime(2021, 8, 1, tzinfo=UTC), "not_illegal")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["stats", "annual", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_the_contract_keys(capsys, history) -> None:
    code, out, _err = run(capsys, "--year", "2021", "--compare-to", "2019", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "year": 2021,
        "reports_assessed": 6,
        "urls_actioned": 5,
        "self_generated": 4,
        "self_generated_share": 80.0,
        "by_category": {"A": 2, "B": 1, "C": 2},
        "compare_to": 2019,
        "reports_assessed_change_pct": 100.0,
        "urls_actioned_change_pct": 66.7,
        "self_generated_change_pct": 300.0,
    }


def test_without_a_comparison_there_are_no_change_keys(capsys, history) -> None:
    _code, out, _err = run(capsys, "--year", "2019", "--format", "json")
    figures = json.loads(out)
    assert figures["self_generated_share"] == 33.3
    assert "compare_to" not in figures


def test_csv_is_one_flat_row(capsys, history) -> None:
    _code, out, _err = run(capsys, "--year", "2021", "--compare-to", "2019", "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["urls_actioned"] == "5"
    assert row["category_A"] == "2"
    assert row["self_generated_change_pct"] == "300.0"


def test_the_table_is_the_default(capsys, history) -> None:
    _code, out, _err = run(capsys, "--year", "2021")
    lines = out.splitlines()
    assert lines[0].split() == ["year", "2021"]
    assert ["urls_actioned", "5"] in [line.split() for line in lines]


def test_an_empty_year_has_no_share(capsys, db) -> None:
    _code, out, _err = run(capsys, "--year", "2030", "--compare-to", "2029", "--format", "json")
    figures = json.loads(out)
    assert figures["urls_actioned"] == 0
    assert figures["self_generated_share"] is None
    assert figures["urls_actioned_change_pct"] is None


def test_bad_years_are_refused(capsys, db) -> None:
    assert run(capsys, "--year", "2021", "--compare-to", "2021")[0] == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "annual", "--year", "21"])
    assert exit_info.value.code == 2
    assert "'21' is not a year" in capsys.readouterr().err


def test_a_running_year_is_compared_with_the_same_span_of_the_earlier_one(
    capsys, db, monkeypatch
) -> None:
    """On 30 June 2021, 2021 to date is set against 1 January to 30 June 2020, not all 2020."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2021, 6, 30))
    decided(datetime(2020, 3, 1, tzinfo=UTC), category="A")
    decided(datetime(2020, 6, 30, 23, tzinfo=UTC), category="A")  # the last day of the span
    decided(datetime(2020, 9, 1, tzinfo=UTC), category="A")  # after it: not counted
    decided(datetime(2021, 2, 1, tzinfo=UTC), category="B")
    _code, out, _err = run(capsys, "--year", "2021", "--compare-to", "2020", "--format", "json")
    figures = json.loads(out)
    assert figures["urls_actioned"] == 1
    assert figures["urls_actioned_change_pct"] == -50.0  # 1 against 2, not against 3
    assert figures["to_date"] == "2021-06-30"
    whole = json.loads(run(capsys, "--year", "2020", "--format", "json")[1])
    assert whole["urls_actioned"] == 3
    assert "to_date" not in whole
