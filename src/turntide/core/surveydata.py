"""Survey microdata files to design-based estimates: what `turntide survey estimate` runs.

Reads CSV, SPSS `.sav`/`.zsav` or Stata `.dta` (through pyreadstat). A category is shown by its
value label where the file has one (SPSS and Stata keep them), else by its value; a category
named on the command line may be either. Every problem with the data is a `SurveyError` that
names the column or the value, so a researcher can fix the file or the command.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "wave1.csv"
>>> _ = path.write_text("school,w,asked\\n1,10,yes\\n1,10,no\\n2,30,no\\n2,30,no\\n")
>>> data = read_survey(path)
>>> request = Request("proportion", "asked", value="yes", weight="w", cluster="school")
>>> [(row["group"], row["estimate"], row["n"]) for row in estimate(data, request).rows]
[(None, 0.125, 4)]
>>> estimate(data, Request("mean", "asked")).rows
Traceback (most recent call last):
    ...
turntide.core.survey.SurveyError: column 'asked' must be numeric: row 1 has 'yes'
"""

from __future__ import annotations

import io
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from turntide.core import survey
from turntide.core.survey import SurveyError

__all__ = [
    "FIELDS",
    "Request",
    "Result",
    "Statistic",
    "SurveyData",
    "estimate",
    "make_design",
    "parse_margin",
    "read_survey",
    "read_survey_bytes",
]

type Statistic = Literal["mean", "total", "proportion"]

FIELDS = ("statistic", "variable", "group", "estimate", "se", "ci_low", "ci_high", "deff", "n")
MISSING = ("", "NA")
ESTIMATORS = {"mean": survey.mean, "total": survey.total, "proportion": survey.proportion}


@dataclass(frozen=True)
class SurveyData:
    """The file's columns as read, and each labelled column's labels by value."""

    frame: pd.DataFrame
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One estimate asked of a file: the statistic of `variable` (for a proportion, the share
    of rows whose `variable` is `value`), the design's columns, margins to rake to (each a
    column and the population total of each of its categories), and the domain column."""

    statistic: Statistic
    variable: str
    value: str | None = None
    weight: str | None = None
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None
    rake: Sequence[tuple[str, Mapping[str, float]]] = ()
    by: str | None = None
    lonely_psu: survey.LonelyOption = "fail"


@dataclass(frozen=True)
class Result:
    rows: list[dict[str, Any]]
    design: dict[str, Any]


def read_survey(path: Path) -> SurveyData:
    """Read a survey file by its extension; anything but `.sav`, `.zsav`, `.dta` is CSV."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise _unreadable(path.name, error) from error
    return read_survey_bytes(path.name, content)


def read_survey_bytes(name: str, content: bytes) -> SurveyData:
    """Read a survey file held in memory (an upload, decrypted), its format by `name`'s
    extension, so that the plain file never touches a disk."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".sav", ".zsav", ".dta"):
            import pyreadstat

            reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
            frame, meta = reader(io.BytesIO(content))
            labels = {
                column: {_text(code): str(label) for code, label in values.items()}
                for column, values in meta.variable_value_labels.items()
            }
            return SurveyData(frame, labels)
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise _unreadable(name, error) from error
    except Exception as error:  # pyreadstat's own errors share no base with the above.
        if type(error).__module__.startswith("pyreadstat"):
            raise _unreadable(name, error) from error
        raise
    return SurveyData(frame)


def _unreadable(name: str, error: Exception) -> SurveyError:
    return SurveyError(f"cannot read {name}: {error}", "unreadable", file=name, reason=error)


def parse_margin(text: str) -> tuple[str, dict[str, float]]:
    """`sex:girl=5100,boy=4900` to `("sex", {"girl": 5100.0, "boy": 4900.0})`.

    >>> parse_margin("sex:girl=5100,boy=4900")
    ('sex', {'girl': 5100.0, 'boy': 4900.0})
    """
    name, colon, pairs = text.partition(":")
    if not colon or not name.strip():
        raise SurveyError(f"{text!r} is not VAR:VALUE=TOTAL,VALUE=TOTAL", "margin", margin=text)
    totals: dict[str, float] = {}
    for pair in pairs.split(","):
        value, equals, number = pair.partition("=")
        try:
            totals[value.strip()] = float(number)
        except ValueError:
            raise SurveyError(
                f"{pair!r} in {text!r} is not VALUE=TOTAL with a number",
                "margin_total",
                pair=pair,
                margin=text,
            ) from None
        if not equals or not value.strip():
            raise SurveyError(
                f"{pair!r} in {text!r} is not VALUE=TOTAL", "margin_pair", pair=pair, margin=text
            )
    return name.strip(), totals


def _text(value: object) -> str:
    """A value as the command line names it: 2.0 read from a .sav file is '2'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _missing(value: object) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is None or (isinstance(value, str) and value.strip() in MISSING)


def _column(data: SurveyData, name: str) -> pd.Series[Any]:
    if name not in data.frame.columns:
        known = ", ".join(map(str, data.frame.columns))
        raise SurveyError(
            f"no column {name!r} in the file (its columns: {known})",
            "no_column",
            column=name,
            columns=known,
        )
    return data.frame[name]


def _numbers(data: SurveyData, name: str, *, missing_ok: bool = False) -> list[float]:
    numbers = []
    for row, value in enumerate(_column(data, name), start=1):
        if _missing(value):
            if not missing_ok:
                raise SurveyError(
                    f"column {name!r} has no value on row {row}", "no_value", column=name, row=row
                )
            numbers.append(math.nan)
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise SurveyError(
                f"column {name!r} must be numeric: row {row} has {value!r}",
                "not_numeric",
                column=name,
                row=row,
                value=value,
            )
        numbers.append(number)
    return numbers


def _categories(data: SurveyData, name: str, *, missing_ok: bool = False) -> list[str | None]:
    """Each row's category: its value label where the column has labels, else its value."""
    labels = data.labels.get(name, {})
    found: list[str | None] = []
    for row, value in enumerate(_column(data, name), start=1):
        if _missing(value):
            if not missing_ok:
                raise SurveyError(
                    f"column {name!r} is empty on row {row}", "empty_value", column=name, row=row
                )
            found.append(None)
            continue
        text = _text(value).strip()
        found.append(labels.get(text, text))
    return found


def _category(data: SurveyData, name: str, value: str, present: Sequence[str | None]) -> str:
    """The category a command names, by its label or its value; it must occur in the data."""
    named = data.labels.get(name, {}).get(value, value)
    if named not in present:
        raise SurveyError(
            f"value {value!r} does not occur in column {name!r}",
            "unknown_value",
            value=value,
            column=name,
        )
    return named


def make_design(data: SurveyData, request: Request) -> survey.Design:
    """The request's design on the data, raked; an error names the column or value."""

    def optional(name: str | None, read: Any) -> Any:
        return read(data, name) if name is not None else None

    made = survey.design(
        weights=optional(request.weight, _numbers),
        strata=optional(request.strata, _categories),
        clusters=optional(request.cluster, _categories),
        fpc=optional(request.fpc, _numbers),
        lonely_psu=request.lonely_psu,
        rows=len(data.frame),
    )
    margins: list[tuple[Sequence[object], Mapping[Hashable, float]]] = []
    for name, population in request.rake:
        values = _categories(data, name)
        targets: dict[Hashable, float] = {
            _category(data, name, key, values): total for key, total in population.items()
        }
        margins.append((values, targets))
    try:
        return survey.rake(made, margins)
    except survey.RakingFailed as error:
        names = ", ".join(n for n, _ in request.rake)
        raise survey.RakingFailed(
            f"raking {names}: {error}", "raking", variables=names, cause=error
        ) from None


def _variable(data: SurveyData, request: Request) -> tuple[str, list[float]]:
    if request.statistic != "proportion":
        return request.variable, _numbers(data, request.variable, missing_ok=True)
    if request.value is None:
        raise SurveyError("a proportion needs a value: COLUMN=VALUE")
    values = _categories(data, request.variable, missing_ok=True)
    value = _category(data, request.variable, request.value, values)
    hits = [math.nan if each is None else float(each == value) for each in values]
    return f"{request.variable}={value}", hits


def estimate(data: SurveyData, request: Request) -> Result:
    """The estimate of the whole sample, or one per category of `request.by`."""
    if len(data.frame) == 0:
        raise SurveyError("the file has no rows", "no_rows")
    d = make_design(data, request)
    name, y = _variable(data, request)
    estimator = ESTIMATORS[request.statistic]
    if request.by is None:
        found: dict[Hashable, survey.Estimate] = {None: estimator(d, y)}
    else:
        found = survey.by(estimator, d, y, _categories(data, request.by, missing_ok=True))
    rows = [
        {
            "statistic": request.statistic,
            "variable": name,
            "group": group,
            **{key: _number(getattr(each, key)) for key in FIELDS[3:8]},
            "n": each.n,
        }
        for group, each in found.items()
    ]
    return Result(rows, _described(d, request))


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


def _described(d: survey.Design, request: Request) -> dict[str, Any]:
    df = d.psus - len(d.stratum_labels)
    interval = (
        f"logit, t with {df} degrees of freedom (R's svyciprop)"
        if request.statistic == "proportion"
        else "normal (R's confint)"
    )
    return {
        "rows": d.rows,
        "weight": request.weight,
        "strata": request.strata,
        "cluster": request.cluster,
        "fpc": request.fpc,
        "by": request.by,
        "raked_to": [name for name, _ in request.rake],
        "lonely_psu": request.lonely_psu,
        "strata_count": len(d.stratum_labels),
        "psus": d.psus,
        "degrees_of_freedom": df,
        "sum_of_weights": float(np.sum(d.weights)),
        "variance": "Taylor linearisation"
        + (" with replacement" if request.fpc is None else " with finite population correction"),
        "interval": f"95%, {interval}",
    }
