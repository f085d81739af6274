"""Design-based estimates from survey microdata, as R's `survey` package computes them.

Researchers check prevention surveys against R's `survey` (Lumley), Stata's `svy` or SPSS
Complex Samples, so every figure here follows `survey` 4.1 step by step (its `svyrecvar`,
`svymean`, `svytotal`, `svyciprop`, `rake` and `svychisq`) and is tested against the numbers R
prints for its own California API samples (tests/data/survey/).

A design has weights, strata, one stage of clusters (PSUs, nested in strata) and an optional
finite population correction: the population size of the stratum (of PSUs, for a cluster
design), or a sampling fraction when every value is at most 1. Without one, PSUs are taken as
drawn with replacement. Standard errors are Taylor-linearised: the influence values of the
estimate are summed by PSU and their spread within strata is scaled by `(1 - f) n / (n - 1)`.
A stratum with a single PSU follows `lonely_psu`, named as R's `survey.lonely.psu` option:
`fail` (R's default), `remove` and `certainty` (it adds nothing), `adjust` (its PSU total is
centred at the grand mean, zero, instead of its stratum mean). Domains (`by`) are estimated
as R's `svyby` does: rows outside the domain count as zeros, so the design is kept whole.

Intervals at 95%: means and totals use the normal quantile (R's `confint` default, `df=Inf`);
proportions use R's `svyciprop` default, the logit interval with a t quantile on the design's
degrees of freedom (PSUs minus strata among the domain's rows). Design effects are R's
`deff=TRUE`: against simple random sampling without replacement of the same size.

>>> d = design(weights=[2, 2, 4, 4], strata=["a", "a", "b", "b"])
>>> m = mean(d, [1, 3, 5, 7])
>>> round(m.estimate, 4), round(m.se, 4), m.n
(4.6667, 0.7454, 4)
>>> t = total(d, [1, 3, 5, 7])
>>> t.estimate, round(t.se, 4)
(56.0, 8.9443)
>>> r = rake(d, [(["x", "y", "x", "y"], {"x": 8, "y": 12})])
>>> [float(w) for w in r.weights]
[2.6666666666666665, 4.0, 5.333333333333333, 8.0]
>>> design(weights=[1, 1, 1], strata=["a", "b", "b"]).psus
3
>>> mean(design(weights=[1, 1, 1], strata=["a", "b", "b"]), [1, 2, 3])
Traceback (most recent call last):
    ...
turntide.core.survey.LonelyPSU: stratum 'a' has only one PSU (lonely_psu='fail')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

__all__ = [
    "LONELY_PSU",
    "Design",
    "Estimate",
    "LonelyPSU",
    "RakingFailed",
    "SurveyError",
    "by",
    "design",
    "mean",
    "proportion",
    "rake",
    "total",
]

type Floats = NDArray[np.float64]
type Codes = NDArray[np.intp]
type LonelyOption = Literal["fail", "remove", "certainty", "adjust"]

LONELY_PSU = ("fail", "remove", "certainty", "adjust")
LEVEL = 0.95
# R's `onestrat`: a stratum whose sampling fraction is this close to 1 was taken whole.
CERTAINTY = 1e-7
# R's `svyrecvar` sweeps the raking margins this many times when it takes residuals.
RESIDUAL_SWEEPS = 10
# How far (a fraction of the total weight) raking may settle from a margin it was given.
SETTLED = 1e-6


class SurveyError(ValueError):
    """The data cannot make the design or the estimate asked for.

    The message is English. `code` names the kind of error a user can cause and `params` the
    details the message names (a column, a row, a value), so that an interface can say the
    same in its user's language; a param may itself be a `SurveyError`, the cause.
    """

    def __init__(self, message: str, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class LonelyPSU(SurveyError):
    """A stratum has a single PSU and `lonely_psu` is `fail`."""


class RakingFailed(SurveyError):
    """The margins do not fit the data, or raking did not converge."""


@dataclass(frozen=True)
class _Margin:
    """One raking margin: each row's category, and the weights after that margin's step of
    the last sweep (R keeps these to take calibration residuals)."""

    codes: Codes
    weights: Floats


@dataclass(frozen=True)
class Design:
    """A survey design, rows in data order. `population` is each row's stratum population
    of PSUs (infinite: with replacement); `calibration` holds each raking's margins."""

    weights: Floats
    strata: Codes
    stratum_labels: tuple[Hashable, ...]
    clusters: Codes
    population: Floats
    lonely_psu: LonelyOption
    calibration: tuple[tuple[_Margin, ...], ...] = ()

    @property
    def rows(self) -> int:
        return len(self.weights)

    @property
    def psus(self) -> int:
        return int(self.clusters.max()) + 1 if self.rows else 0


@dataclass(frozen=True)
class Estimate:
    """One estimate with its standard error, 95% interval, design effect, the rows behind it
    (`n`) and the degrees of freedom of the design among those rows."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    deff: float
    n: int
    df: int


type Estimator = Callable[[Design, Sequence[float], Sequence[bool] | None], Estimate]


def _factorize(values: Sequence[object], name: str) -> tuple[Codes, tuple[Hashable, ...]]:
    """Codes in sorted order of the distinct values, as R's `factor` orders levels."""
    if any(_missing(value) for value in values):
        raise SurveyError(f"{name} has a missing value")
    distinct = set(values)
    try:
        labels = tuple(sorted(distinct))  # type: ignore[type-var]
    except TypeError:
        labels = tuple(sorted(distinct, key=str))
    index = {label: code for code, label in enumerate(labels)}
    return np.array([index[value] for value in values], dtype=np.intp), labels


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def design(
    *,
    weights: Sequence[float] | None = None,
    strata: Sequence[object] | None = None,
    clusters: Sequence[object] | None = None,
    fpc: Sequence[float] | None = None,
    lonely_psu: LonelyOption = "fail",
    rows: int | None = None,
) -> Design:
    """A design like R's `svydesign(id=, strata=, weights=, fpc=, nest=TRUE)`. Without
    weights, they come from the fpc (population over sample size) or are all 1."""
    given = [len(each) for each in (weights, strata, clusters, fpc) if each is not None]
    if rows is not None:
        given.append(rows)
    if not given or len(set(given)) != 1:
        raise SurveyError("weights, strata, clusters and fpc must have one value per row")
    if lonely_psu not in LONELY_PSU:
        raise SurveyError(f"lonely_psu must be one of {', '.join(LONELY_PSU)}")
    n = given[0]
    strata_codes, labels = _factorize(strata if strata is not None else [1] * n, "strata")
    pairs = list(
        zip(strata_codes.tolist(), clusters if clusters is not None else range(n), strict=True)
    )
    cluster_codes, _ = _factorize([(int(h), str(c)) for h, c in pairs], "clusters")
    sampled = _psus_per_stratum(strata_codes, cluster_codes)[strata_codes]
    population = _population(fpc, strata_codes, sampled, labels)
    if weights is None:
        w = population / sampled if fpc is not None else np.ones(n)
    else:
        w = np.asarray(weights, dtype=np.float64)
        if not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise SurveyError("weights must be positive numbers", "weights_not_positive")
    return Design(w, strata_codes, labels, cluster_codes, population, lonely_psu)


def _psus_per_stratum(strata: Codes, clusters: Codes) -> NDArray[np.intp]:
    counts = np.zeros(int(strata.max()) + 1 if len(strata) else 0, dtype=np.intp)
    firsts = np.unique(clusters, return_index=True)[1]
    np.add.at(counts, strata[firsts], 1)
    return counts


def _population(
    fpc: Sequence[float] | None,
    strata: Codes,
    sampled: NDArray[np.intp],
    labels: tuple[Hashable, ...],
) -> Floats:
    if fpc is None:
        return np.full(len(strata), np.inf)
    values = np.asarray(fpc, dtype=np.float64)
    if np.any(~np.isfinite(values)) or np.any(values <= 0):
        raise SurveyError("fpc must be positive numbers", "fpc_not_positive")
    if np.all(values <= 1):
        values = sampled / values
    for code, label in enumerate(labels):
        inside = values[strata == code]
        if np.ptp(inside) > 0:
            raise SurveyError(f"fpc differs within stratum {label!r}", "fpc_varies", stratum=label)
        if inside[0] < sampled[strata == code][0]:
            raise SurveyError(
                f"fpc of stratum {label!r} is smaller than its sample of PSUs",
                "fpc_too_small",
                stratum=label,
            )
    return values


def _residuals(d: Design, x: Floats) -> Floats:
    """R's `svyrecvar` for a raked design: sweep each margin's weighted mean out of the
    influence values, margins in turn, ten times over."""
    for margins in d.calibration:
        for _ in range(RESIDUAL_SWEEPS):
            for margin in margins:
                groups = int(margin.codes.max()) + 1
                ratio = x / margin.weights[:, None]
                sums = np.zeros((groups, x.shape[1]))
                np.add.at(sums, margin.codes, ratio)
                counts = np.bincount(margin.codes, minlength=groups)[:, None]
                x = x - margin.weights[:, None] * (sums / counts)[margin.codes]
    return x


def _variance(d: Design, x: Floats, inside: NDArray[np.bool_]) -> Floats:
    """Covariance of the totals of influence values `x` (rows by statistics), R's
    `svyrecvar` for one stage: strata without a row of the domain add nothing."""
    x = _residuals(d, x)
    k = x.shape[1]
    psu_totals = np.zeros((d.psus, k))
    np.add.at(psu_totals, d.clusters, x)
    cov = np.zeros((k, k))
    for code, label in enumerate(d.stratum_labels):
        rows = d.strata == code
        if not inside[rows].any():
            continue
        psus = np.unique(d.clusters[rows])
        n = len(psus)
        f = 1.0 - n / d.population[rows][0]
        if f < CERTAINTY:
            continue
        totals = psu_totals[psus]
        if n > 1:
            deviations = totals - totals.mean(axis=0)
            cov += f * n / (n - 1) * deviations.T @ deviations
        elif d.lonely_psu == "fail":
            raise LonelyPSU(
                f"stratum {label!r} has only one PSU (lonely_psu='fail')",
                "lonely_psu",
                stratum=label,
            )
        elif d.lonely_psu == "adjust":
            cov += f * totals.T @ totals
    return cov


@dataclass(frozen=True)
class _Domain:
    """A variable within a domain: `values` and `w` are zero outside it (and where the value
    is missing, as R's `na.rm=TRUE`), `inside` marks the rows it keeps."""

    values: Floats
    inside: NDArray[np.bool_]
    w: Floats

    @property
    def n(self) -> int:
        return int(self.inside.sum())

    @property
    def psum(self) -> float:
        return float(self.w.sum())

    def srs_variance(self, average: float) -> float:
        """R's `svyvar`: the weighted variance with the n / (n - 1) correction, for the
        design effect's simple random sample of the same size."""
        n = self.n
        if n < 2:
            return math.nan
        spread = (self.w * (self.values - average) ** 2).sum() / self.psum * n / (n - 1)
        return float(spread * (self.psum - n) / (self.psum * n))


def _domain(d: Design, y: Sequence[float], domain: Sequence[bool] | None) -> _Domain:
    values = np.asarray(y, dtype=np.float64)
    if len(values) != d.rows:
        raise SurveyError("the variable must have one value per row")
    inside = ~np.isnan(values)
    if domain is not None:
        inside &= np.asarray(domain, dtype=bool)
    if not inside.any():
        raise SurveyError("no row has a value in this group", "empty_group")
    return _Domain(np.where(inside, values, 0.0), inside, np.where(inside, d.weights, 0.0))


def _degrees_of_freedom(d: Design, inside: NDArray[np.bool_]) -> int:
    """R's `degf` of the domain's subset: its PSUs less its strata."""
    return len(np.unique(d.clusters[inside])) - len(np.unique(d.strata[inside]))


def _estimate(d: Design, part: _Domain, value: float, influence: Floats, srs: float) -> Estimate:
    """`value` with the normal 95% interval from the variance of its `influence` values."""
    variance = float(_variance(d, influence[:, None], part.inside)[0, 0])
    se = math.sqrt(variance)
    half = float(stats.norm.ppf(0.5 + LEVEL / 2)) * se
    deff = variance / srs if part.psum >= part.n and srs > 0 else math.nan
    df = _degrees_of_freedom(d, part.inside)
    return Estimate(value, se, value - half, value + half, deff, part.n, df)


def mean(d: Design, y: Sequence[float], domain: Sequence[bool] | None = None) -> Estimate:
    """The weighted mean of `y` (NaN: missing, left out as R's `na.rm=TRUE`)."""
    part = _domain(d, y, domain)
    average = float((part.w * part.values).sum()) / part.psum
    influence = part.w * (part.values - average) / part.psum
    return _estimate(d, part, average, influence, part.srs_variance(average))


def total(d: Design, y: Sequence[float], domain: Sequence[bool] | None = None) -> Estimate:
    """The estimated population total of `y`."""
    part = _domain(d, y, domain)
    influence = part.w * part.values
    value = float(influence.sum())
    srs = part.srs_variance(value / part.psum) * part.psum**2
    return _estimate(d, part, value, influence, srs)


def proportion(d: Design, hit: Sequence[float], domain: Sequence[bool] | None = None) -> Estimate:
    """The share of rows with `hit` 1 (0: not; NaN: missing), with R's `svyciprop` logit
    interval: `expit(logit(p) +/- t * se / (p (1 - p)))`, t on the domain's degrees of freedom."""
    found = mean(d, hit, domain)
    p, se, df = found.estimate, found.se, found.df
    if p in (0.0, 1.0) or se == 0:
        return replace(found, ci_low=p, ci_high=p)
    half = float(stats.t.ppf(0.5 + LEVEL / 2, df)) * se / (p * (1 - p)) if df > 0 else math.nan
    logit = math.log(p / (1 - p))
    return replace(found, ci_low=_expit(logit - half), ci_high=_expit(logit + half))


def _expit(value: float) -> float:
    return 1 / (1 + math.exp(-value)) if not math.isnan(value) else math.nan


def by(
    estimator: Estimator, d: Design, y: Sequence[float], groups: Sequence[object]
) -> dict[Hashable, Estimate]:
    """One estimate per group (domain), in sorted order of the groups, as R's `svyby`:
    `estimator` is `mean`, `total` or `proportion`. A row without a group (None or NaN) is
    in no domain, as a respondent who did not answer the grouping question.

    >>> found = by(mean, design(rows=4), [1, 2, 3, 4], ["b", None, "a", "b"])
    >>> {group: (each.estimate, each.n) for group, each in found.items()}
    {'a': (3.0, 1), 'b': (2.5, 2)}
    """
    known = [not _missing(group) for group in groups]
    codes = np.full(len(groups), -1, dtype=np.intp)
    codes[known], labels = _factorize(
        [g for g, k in zip(groups, known, strict=True) if k], "groups"
    )
    return {label: estimator(d, y, codes == code) for code, label in enumerate(labels)}


def rake(
    d: Design,
    margins: Sequence[tuple[Sequence[object], Mapping[Hashable, float]]],
    *,
    max_iterations: int = 10,
    epsilon: float = 1.0,
) -> Design:
    """Rake the weights to population `margins` (each: the rows' categories, and the
    population total of each category) by iterative proportional fitting, as R's `rake`:
    sweeps of post-stratification until no cell of the margins' cross-table moves by
    `epsilon` (weight units; a fraction of the total weight when below 1)."""
    if not margins:
        return d
    coded = [_margin_codes(values, population, d.rows) for values, population in margins]
    tolerance = epsilon * float(d.weights.sum()) if epsilon < 1 else epsilon
    joint = np.ravel_multi_index(
        [codes for codes, _, _ in coded], [len(targets) for _, targets, _ in coded]
    )
    weights = d.weights
    before = np.bincount(joint, weights=weights)
    for _ in range(max_iterations):
        steps = []
        for codes, targets, _ in coded:
            weights = weights * (targets / np.bincount(codes, weights=weights))[codes]
            steps.append(_Margin(codes, weights))
        after = np.bincount(joint, weights=weights)
        if np.max(np.abs(after - before)) < tolerance:
            _check_reached(coded, weights, tolerance)
            return replace(d, weights=weights, calibration=(*d.calibration, tuple(steps)))
        before = after
    raise RakingFailed(
        f"raking did not converge in {max_iterations} iterations: "
        "do the margins add up to the same population, and can the data meet them?",
        "raking_diverged",
        iterations=max_iterations,
    )


def _check_reached(
    coded: Sequence[tuple[Codes, Floats, tuple[Hashable, ...]]], weights: Floats, tolerance: float
) -> None:
    """R's `rake` stops when the weights stop moving, even where they settle off a margin
    (margins of different populations, or cells the data leave empty); that is an error here.
    A margin may miss by the convergence tolerance, or a millionth of the total."""
    slack = max(tolerance, SETTLED * float(weights.sum()))
    for codes, targets, labels in coded:
        reached = np.bincount(codes, weights=weights, minlength=len(targets))
        worst = int(np.argmax(np.abs(reached - targets)))
        if abs(reached[worst] - targets[worst]) > slack:
            raise RakingFailed(
                f"raking settled at {reached[worst]:.6g} for margin value {labels[worst]!r}, "
                f"not {targets[worst]:.6g}: the margins disagree with each other or with the data",
                "raking_settled",
                reached=f"{reached[worst]:.6g}",
                value=labels[worst],
                target=f"{targets[worst]:.6g}",
            )


def _margin_codes(
    values: Sequence[object], population: Mapping[Hashable, float], rows: int
) -> tuple[Codes, Floats, tuple[Hashable, ...]]:
    if len(values) != rows:
        raise RakingFailed("a raking margin must have one value per row")
    codes, labels = _factorize(values, "a raking variable")
    for label, target in population.items():
        if target > 0 and label not in labels:
            raise RakingFailed(
                f"margin value {label!r} is not in the data", "margin_value_missing", value=label
            )
    unknown = [label for label in labels if population.get(label, 0) <= 0]
    if unknown:
        raise RakingFailed(
            f"value {unknown[0]!r} in the data has no population total",
            "margin_total_missing",
            value=unknown[0],
        )
    return codes, np.array([float(population[label]) for label in labels]), labels
