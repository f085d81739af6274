"""`turntide survey estimate`: R `survey`'s numbers through the command's contract, from CSV,
SPSS and Stata files, and a message naming the column or value (exit 2) for bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from tests.helpers import run_turntide
from turntide.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "survey"
REFERENCE = pd.read_csv(DATA / "reference.csv", keep_default_na=False)
STRATIFIED = ("--weight", "pw", "--strata", "stype", "--fpc", "fpc")
CLUSTERED = ("--weight", "pw", "--cluster", "dnum", "--fpc", "fpc")
RAKED = (*CLUSTERED, "--rake", "stype:E=4421,H=755,M=1018", "--rake", "sch.wide:No=1072,Yes=5122")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["survey", "estimate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def expected(design: str, statistic: str, variable: str, by: str = "") -> pd.DataFrame:
    rows = REFERENCE[
        (REFERENCE.design == design)
        & (REFERENCE.statistic == statistic)
        & (REFERENCE.variable == variable)
        & (REFERENCE.by == by)
    ]
    assert len(rows) > 0
    return rows


def assert_matches(estimates: list[dict[str, object]], reference: pd.DataFrame) -> None:
    assert len(estimates) == len(reference)
    for found, (_, row) in zip(estimates, reference.iterrows(), strict=True):
        assert found["group"] == (row["group"] or None)
        for key in ("estimate", "se", "ci_low", "ci_high", "deff"):
            assert found[key] == pytest.approx(float(row[key]), rel=1e-8, abs=1e-9), key


def test_json_follows_the_contract_with_r_surveys_figures(capsys) -> None:
    code, out, err = run(
        capsys, str(DATA / "apistrat.csv"), *STRATIFIED, "--mean", "api00", "--format", "json"
    )
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert set(result) == {"estimates", "design"}
    [estimate] = result["estimates"]
    assert list(estimate) == [
        "statistic", "variable", "group", "estimate", "se", "ci_low", "ci_high", "deff", "n"
    ]  # fmt: skip
    assert (estimate["statistic"], estimate["variable"], estimate["n"]) == ("mean", "api00", 200)
    assert (round(estimate["estimate"], 2), round(estimate["se"], 4)) == (662.29, 9.4089)
    assert_matches(result["estimates"], expected("dstrat", "mean", "api00"))
    assert result["design"]["strata_count"] == 3
    assert result["design"]["degrees_of_freedom"] == 197


def test_domains_of_a_cluster_design_match_svyby(capsys) -> None:
    args = (str(DATA / "apiclus1.csv"), *CLUSTERED, "--total", "enroll", "--by", "stype")
    _code, out, _err = run(capsys, *args, "--format", "json")
    assert_matches(json.loads(out)["estimates"], expected("dclus1", "total", "enroll", "stype"))


def test_raking_to_population_margins_matches_rake(capsys) -> None:
    args = (str(DATA / "apiclus1.csv"), *RAKED, "--mean", "api00", "--by", "stype")
    _code, out, _err = run(capsys, *args, "--format", "json")
    result = json.loads(out)
    assert_matches(result["estimates"], expected("dclus1r", "mean", "api00", "stype"))
    assert result["design"]["raked_to"] == ["stype", "sch.wide"]


def test_a_proportion_by_group_comes_as_csv_with_svycipropss_interval(capsys) -> None:
    args = (str(DATA / "apiclus1.csv"), *CLUSTERED, "--proportion", "sch.wide=Yes")
    _code, out, _err = run(capsys, *args, "--by", "stype", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["variable"] for row in rows] == ["sch.wide=Yes"] * 3
    estimates = [
        {**row, **{k: float(row[k]) for k in ("estimate", "se", "ci_low", "ci_high", "deff")}}
        for row in rows
    ]
    assert_matches(estimates, expected("dclus1", "proportion", "sch.wide=Yes", "stype"))


def test_the_table_is_for_people(capsys) -> None:
    args = (str(DATA / "apiclus1.csv"), *CLUSTERED, "--mean", "api00", "--by", "stype")
    code, out, _err = run(capsys, *args)
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["statistic", "variable", "group", "estimate", "se", "ci_low",
                                "ci_high", "deff", "n"]  # fmt: skip
    assert [line.split()[2] for line in lines[1:]] == ["E", "H", "M"]


@pytest.fixture
def labelled(tmp_path: Path) -> dict[str, Path]:
    """apiclus1 with `stype` and `sch.wide` as labelled codes, as SPSS and Stata keep them."""
    frame = pd.read_csv(DATA / "apiclus1.csv")[["dnum", "pw", "fpc", "api00", "stype", "sch.wide"]]
    frame = frame.rename(columns={"sch.wide": "schwide"})
    frame["stype"] = frame["stype"].map({"E": 1, "H": 2, "M": 3})
    frame["schwide"] = frame["schwide"].map({"No": 0, "Yes": 1})
    labels = {"stype": {1: "E", 2: "H", 3: "M"}, "schwide": {0: "No", 1: "Yes"}}
    paths = {"sav": tmp_path / "wave.sav", "dta": tmp_path / "wave.dta"}
    pyreadstat.write_sav(frame, str(paths["sav"]), variable_value_labels=labels)
    pyreadstat.write_dta(frame, str(paths["dta"]), variable_value_labels=labels)
    return paths


@pytest.mark.parametrize("kind", ["sav", "dta"])
def test_spss_and_stata_files_keep_their_value_labels(capsys, labelled, kind) -> None:
    args = (str(labelled[kind]), *CLUSTERED, "--proportion", "schwide=Yes", "--by", "stype")
    _code, out, _err = run(capsys, *args, "--format", "json")
    estimates = json.loads(out)["estimates"]
    assert [row["group"] for row in estimates] == ["E", "H", "M"]
    assert estimates[0]["variable"] == "schwide=Yes"
    assert_matches(estimates, expected("dclus1", "proportion", "sch.wide=Yes", "stype"))


def test_a_category_may_be_named_by_its_code_too(capsys, labelled) -> None:
    args = (str(labelled["sav"]), *CLUSTERED, "--proportion", "schwide=1", "--format", "json")
    _code, out, _err = run(capsys, *args)
    [estimate] = json.loads(out)["estimates"]
    assert estimate["variable"] == "schwide=Yes"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """apistrat with a text weight on row 3 and no stratum on row 5."""
    frame = pd.read_csv(DATA / "apistrat.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "pw"] = "heavy"
    frame.loc[4, "stype"] = ""
    path = tmp_path / "broken.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--mean", "api01"), "no column 'api01' in the file"),
        (("--weight", "pw", "--mean", "api00"), "column 'pw' must be numeric: row 3 has 'heavy'"),
        (("--strata", "stype", "--mean", "api00"), "column 'stype' is empty on row 5"),
        (("--rake", "awards:Yes=10,Maybe=5", "--mean", "api00"), "value 'Maybe' does not occur"),
        (("--proportion", "awards=Maybe"), "value 'Maybe' does not occur in column 'awards'"),
        (("--mean", "stype"), "column 'stype' must be numeric: row 1 has 'E'"),
        (("--proportion", "awards"), "--proportion 'awards': expected COLUMN=VALUE"),
    ],
)  # fmt: skip
def test_bad_input_is_named_and_exits_2(capsys, broken, args, message) -> None:
    code, out, err = run(capsys, str(broken), *args)
    assert (code, out) == (2, "")
    assert message in err
    assert err.startswith("turntide survey estimate: ")


def test_a_lonely_psu_is_named_and_an_option_takes_it(capsys, tmp_path) -> None:
    frame = pd.read_csv(DATA / "apistrat.csv")
    frame = frame[(frame.stype != "H") | (frame.snum == frame[frame.stype == "H"].snum.iloc[0])]
    path = tmp_path / "lonely.csv"
    frame.to_csv(path, index=False)
    code, _out, err = run(
        capsys, str(path), "--weight", "pw", "--strata", "stype", "--mean", "api00"
    )
    assert code == 2
    assert "stratum 'H' has only one PSU" in err
    args = ("--weight", "pw", "--strata", "stype", "--mean", "api00", "--lonely-psu", "adjust")
    _code, out, _err = run(capsys, str(path), *args, "--format", "json")
    assert_matches(json.loads(out)["estimates"], expected("lonely_adjust", "mean", "api00"))


def test_raking_that_cannot_meet_its_margins_says_so(capsys) -> None:
    args = ("--weight", "pw", "--rake", "stype:E=4421,H=755,M=1018", "--rake", "awards:No=1,Yes=1")
    code, _out, err = run(capsys, str(DATA / "apistrat.csv"), *args, "--mean", "api00")
    assert code == 2
    assert "raking stype, awards:" in err


def test_the_installed_command_answers_bad_input_without_a_traceback(tmp_path) -> None:
    path = tmp_path / "apistrat.csv"
    shutil.copy(DATA / "apistrat.csv", path)
    result = run_turntide(
        None, "survey", "estimate", str(path), "--weight", "weight", "--mean", "api00"
    )
    assert result.returncode == 2
    assert result.stderr.startswith("turntide survey estimate: ")
    assert "no column 'weight'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_margin_is_refused_by_the_parser(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, str(DATA / "apistrat.csv"), "--rake", "stype", "--mean", "api00")
    assert exit_.value.code == 2
    assert "'stype' is not VAR:VALUE=TOTAL" in capsys.readouterr().err


def test_rows_without_a_group_are_in_no_group(capsys, tmp_path) -> None:
    frame = pd.read_csv(DATA / "apiclus1.csv", dtype=str, keep_default_na=False)
    frame.loc[frame.index[:3], "stype"] = ""
    path = tmp_path / "unanswered.csv"
    frame.to_csv(path, index=False)
    args = (str(path), *CLUSTERED, "--mean", "api00", "--by", "stype", "--format", "json")
    code, out, _err = run(capsys, *args)
    estimates = json.loads(out)["estimates"]
    assert code == 0
    assert [row["group"] for row in estimates] == ["E", "H", "M"]
    assert sum(row["n"] for row in estimates) == len(frame) - 3
