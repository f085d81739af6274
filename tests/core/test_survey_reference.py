"""`turntide.core.survey` gives R `survey`'s numbers on its own California API samples.

tests/data/survey/reference.R wrote the samples and every expected figure (reference.csv,
chisq.csv, at full precision; expected.txt is what R printed for the same calls).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from turntide.core import survey
from turntide.core.survey import Design, Estimate
from turntide.core.surveychisq import rao_scott

DATA = Path(__file__).resolve().parents[1] / "data" / "survey"
APISTRAT = pd.read_csv(DATA / "apistrat.csv")
APICLUS1 = pd.read_csv(DATA / "apiclus1.csv")
POPULATION_TYPES = {"E": 4421, "H": 755, "M": 1018}
POPULATION_SCHWIDE = {"No": 1072, "Yes": 5122}


def _lonely() -> pd.DataFrame:
    """apistrat with its high-school stratum cut to its first school, as reference.R does."""
    first = APISTRAT.loc[APISTRAT.stype == "H", "snum"].iloc[0]
    return APISTRAT[(APISTRAT.stype != "H") | (APISTRAT.snum == first)].reset_index(drop=True)


def _designs() -> dict[str, tuple[Design, pd.DataFrame]]:
    dstrat = survey.design(weights=APISTRAT.pw, strata=APISTRAT.stype, fpc=APISTRAT.fpc)
    dclus1 = survey.design(weights=APICLUS1.pw, clusters=APICLUS1.dnum, fpc=APICLUS1.fpc)
    raked = survey.rake(
        dclus1,
        [
            (list(APICLUS1.stype), POPULATION_TYPES),
            (list(APICLUS1["sch.wide"]), POPULATION_SCHWIDE),
        ],
    )
    lonely = _lonely()
    designs = {
        "dstrat": (dstrat, APISTRAT),
        "dclus1": (dclus1, APICLUS1),
        "dstrat_wr": (survey.design(weights=APISTRAT.pw, strata=APISTRAT.stype), APISTRAT),
        "dclus1_wr": (survey.design(weights=APICLUS1.pw, clusters=APICLUS1.dnum), APICLUS1),
        "dclus1r": (raked, APICLUS1),
    }
    for option in ("certainty", "remove", "adjust"):
        made = survey.design(weights=lonely.pw, strata=lonely.stype, lonely_psu=option)  # type: ignore[arg-type]
        designs[f"lonely_{option}"] = (made, lonely)
    return designs


DESIGNS = _designs()
ESTIMATORS: dict[str, Callable[..., Estimate]] = {
    "mean": survey.mean,
    "total": survey.total,
    "proportion": survey.proportion,
}


def _reference(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="") as file:
        return list(csv.DictReader(file))


def _values(data: pd.DataFrame, statistic: str, variable: str) -> Sequence[float]:
    if statistic != "proportion":
        return list(data[variable].astype(float))
    column, value = variable.split("=")
    return list((data[column] == value).astype(float))


@pytest.mark.parametrize(
    "row",
    _reference("reference.csv"),
    ids=lambda row: f"{row['design']}-{row['statistic']}-{row['variable']}-{row['group']}",
)
def test_estimates_agree_with_r_survey(row: dict[str, str]) -> None:
    d, data = DESIGNS[row["design"]]
    estimator = ESTIMATORS[row["statistic"]]
    y = _values(data, row["statistic"], row["variable"])
    if row["by"]:
        found = survey.by(estimator, d, y, list(data[row["by"]]))[row["group"]]
    else:
        found = estimator(d, y)
    for field in ("estimate", "se", "ci_low", "ci_high", "deff"):
        expected = math.nan if row[field] == "NA" else float(row[field])
        assert getattr(found, field) == pytest.approx(expected, rel=1e-8, abs=1e-9, nan_ok=True), (
            field
        )


@pytest.mark.parametrize("row", _reference("chisq.csv"), ids=lambda row: row["design"])
def test_rao_scott_agrees_with_r_svychisq(row: dict[str, str]) -> None:
    d, data = DESIGNS[row["design"]]
    found = rao_scott(d, list(data[row["rows"]]), list(data[row["cols"]]))
    assert found.f == pytest.approx(float(row["F"]), rel=1e-8)
    assert found.ndf == pytest.approx(float(row["ndf"]), rel=1e-8)
    assert found.ddf == pytest.approx(float(row["ddf"]), rel=1e-8)
    assert found.p_value == pytest.approx(float(row["p_value"]), rel=1e-6)


def test_the_figures_quoted_in_the_survey_documentation_hold() -> None:
    """svymean(~api00, dstrat) 662.29 (9.4089); dclus1 644.17 (23.542);
    svytotal(~enroll, dclus1) 3,404,940 (932,235): R prints them to these digits."""
    dstrat, _ = DESIGNS["dstrat"]
    dclus1, _ = DESIGNS["dclus1"]
    stratified = survey.mean(dstrat, list(APISTRAT.api00))
    clustered = survey.mean(dclus1, list(APICLUS1.api00))
    enrolled = survey.total(dclus1, list(APICLUS1.enroll))
    assert (round(stratified.estimate, 2), round(stratified.se, 4)) == (662.29, 9.4089)
    assert (round(clustered.estimate, 2), round(clustered.se, 3)) == (644.17, 23.542)
    assert (round(enrolled.estimate), round(enrolled.se)) == (3404940, 932235)


def test_raking_reaches_the_population_margins() -> None:
    raked, _ = DESIGNS["dclus1r"]
    for column, margin in (("stype", POPULATION_TYPES), ("sch.wide", POPULATION_SCHWIDE)):
        totals = {key: raked.weights[np.asarray(APICLUS1[column] == key)].sum() for key in margin}
        assert totals == pytest.approx(margin, abs=1.0)


def test_a_lonely_psu_fails_by_default_naming_its_stratum() -> None:
    lonely = _lonely()
    d = survey.design(weights=lonely.pw, strata=lonely.stype)
    with pytest.raises(survey.LonelyPSU, match="stratum 'H'"):
        survey.mean(d, list(lonely.api00))
