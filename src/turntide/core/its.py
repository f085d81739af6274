"""Interrupted time series: did a monthly count change when a campaign began?

Segmented regression on monthly counts, as in Bernal, Cummins and Gasparrini, "Interrupted
time series regression for the evaluation of public health interventions: a tutorial"
(Int J Epidemiol 2017;46:348-355). For month `t` (0 for the first month of the series),
campaign start `k`, `D = 1` from month `k` on, and calendar month `m`:

    log E[y_t] = b0 + b1 t + b2 D + b3 (t - k) D + sum_h (s_h sin(2 pi h m / 12) + c_h cos(...))

`exp(b2)` is the level change (the rate ratio in the campaign's first month), `exp(b3)` the
change in the monthly trend, and the counterfactual is the same model with `b2 = b3 = 0`: the
pre-campaign trend and season carried on. Counts are Poisson unless Pearson's statistic shows
overdispersion (p < 0.05), in which case a negative binomial (NB2) model is fitted instead.
Intervals are Wald intervals on the log scale (Newey-West when the residuals of neighbouring
months are correlated); the cumulative effect (URLs gained or lost over the post period, fitted
minus counterfactual) takes its interval from draws of the coefficients out of their estimated
sampling distribution, with a fixed seed so a page reads the same twice.

A series is `too_short` with fewer than 24 months before the start (each calendar month seen
twice, so season and trend are not confused with each other: Bernal et al. advise several years
of data where seasonality matters) or fewer than 12 months after it (a full seasonal cycle, so
a season is not read as an effect; Wagner et al., J Clin Pharm Ther 2002;27:299-309, advise at
least 12 monthly points on each side). Below 12 months before or 3 after (the Cochrane EPOC
minimum of three points after, with a year to fit the season) nothing is estimated at all.

>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> t = np.arange(48)
>>> expected = 300 * np.exp(0.01 * t + 0.15 * np.sin(2 * np.pi * t / 12))
>>> expected[36:] *= 0.7  # a campaign in month 36 cut the count by 30%
>>> result = fit_its(rng.poisson(expected).tolist(), first_month=1, intervention=36)
>>> result.model, result.too_short, result.pre_months, result.post_months
('poisson', False, 36, 12)
>>> result.level_change.low < 0.7 < result.level_change.high, result.significant
(True, True)
>>> result.cumulative_effect.value < 0 and len(result.counterfactual) == 48
True
>>> fit_its([5] * 10, first_month=1, intervention=8)
Traceback (most recent call last):
    ...
turntide.core.its.CannotEstimate: 8 months before the start and 2 after: at least 12 before \
and 3 after are needed to estimate anything
"""

from __future__ import annotations

import importlib
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ASSUMPTIONS",
    "MIN_POST_MONTHS",
    "MIN_PRE_MONTHS",
    "TOO_SHORT_RULE",
    "CannotEstimate",
    "Estimate",
    "ITSResult",
    "fit_its",
    "preload",
]

MIN_PRE_MONTHS = 24
MIN_POST_MONTHS = 12
TOO_SHORT_RULE = (
    f"fewer than {MIN_PRE_MONTHS} months before the campaign began or fewer than "
    f"{MIN_POST_MONTHS} months after"
)
FLOOR_PRE_MONTHS = 12
FLOOR_POST_MONTHS = 3
HARMONICS = 2
OVERDISPERSION_P = 0.05
Z_95 = 1.959963984540054
DRAWS = 2000
SEED = 20170301

ASSUMPTIONS: tuple[str, ...] = (
    "Without the campaign, the trend and seasonal pattern of the months before it would have "
    "carried on: that continuation is the counterfactual.",
    "Nothing else that moves the count began at the same time: another campaign, a change in "
    "how analysts judge age, sex or self-generation, in proactive searching, or in the "
    "hotline's capacity to assess.",
    "The campaign's effect is a step in level at its start and a change in the monthly trend "
    "after it; an effect that builds up slowly or fades away is only approximated.",
    "The seasonal pattern is the same every year (two harmonics); months are counted by the "
    "date of the assessment, not of the imagery's creation.",
    "Given trend and season, months are independent counts: Poisson, or negative binomial when "
    "the counts vary more than Poisson allows. Where neighbouring months are correlated, the "
    "intervals are widened for it (Newey-West).",
    "The effect is measured from the campaign's start to the last complete month (at most two "
    "years on), whether or not the campaign has ended.",
)


class CannotEstimate(ValueError):
    """The series cannot support a model at all; the message says why."""


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95% interval."""

    value: float
    low: float
    high: float

    def excludes(self, null: float) -> bool:
        return not self.low <= null <= self.high


@dataclass(frozen=True)
class ITSResult:
    model: str  # "poisson" or "negative binomial"
    pre_months: int
    post_months: int
    level_change: Estimate  # rate ratio in the first campaign month
    slope_change: Estimate  # ratio of the monthly growth factor after to before
    cumulative_effect: Estimate  # URLs over the post period, fitted minus counterfactual
    fitted: tuple[float, ...]
    counterfactual: tuple[float, ...]
    dispersion: float  # Pearson chi-squared / degrees of freedom of the Poisson fit
    residual_autocorrelation: float  # lag 1, of the chosen model's Pearson residuals
    warnings: tuple[str, ...]
    # The same model fitted to the months before the start alone, with a pretend campaign
    # halfway through them; None when there are too few months for it.
    placebo_level_change: Estimate | None = None

    @property
    def too_short(self) -> bool:
        return self.pre_months < MIN_PRE_MONTHS or self.post_months < MIN_POST_MONTHS

    @property
    def significant(self) -> bool:
        """True when the level change's 95% interval excludes "no change"."""
        return self.level_change.excludes(1.0)


@dataclass(frozen=True)
class _Fit:
    params: NDArray[np.float64]  # the regression coefficients only
    cov: NDArray[np.float64]
    alpha: float  # NB2 variance: mu + alpha mu^2; 0 for Poisson
    converged: bool


def _design(n: int, first_month: int, intervention: int) -> NDArray[np.float64]:
    """Columns: intercept, time, level step, slope change, then the Fourier terms."""
    t = np.arange(n, dtype=float)
    step = (t >= intervention).astype(float)
    calendar = (first_month - 1 + t) % 12
    columns = [np.ones(n), t / 12, step, step * (t - intervention) / 12]
    for h in range(1, HARMONICS + 1):
        angle = 2 * math.pi * h * calendar / 12
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


def _fit(
    y: NDArray[np.float64], x: NDArray[np.float64], negative_binomial: bool, hac_lags: int = 0
) -> _Fit:
    """The one place that touches statsmodels, whose results are untyped. With `hac_lags`,
    the covariance is Newey-West's, robust to autocorrelation up to that many months."""
    # The modules themselves, not statsmodels.api, which imports far more (seconds).
    from statsmodels.discrete.discrete_model import NegativeBinomial
    from statsmodels.genmod.families import Poisson
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    covariance: dict[str, Any] = (
        {"cov_type": "HAC", "cov_kwds": {"maxlags": hac_lags}} if hac_lags else {}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if negative_binomial:
            model: Any = NegativeBinomial(y, x, loglike_method="nb2")
            result: Any = model.fit(disp=0, maxiter=200, **covariance)
        else:
            result = GLM(y, x, family=Poisson()).fit(**covariance)
    p = x.shape[1]
    params = np.asarray(result.params, dtype=float)
    try:
        cov = np.asarray(result.cov_params(), dtype=float)
    except ValueError:  # statsmodels found no covariance: a singular fit
        cov = np.full((len(params), len(params)), np.nan)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    converged = converged and bool(np.all(np.isfinite(cov)))
    alpha = float(params[p]) if negative_binomial else 0.0
    return _Fit(params[:p], cov[:p, :p], alpha, converged)


def _pearson(y: NDArray[np.float64], mu: NDArray[np.float64], alpha: float) -> NDArray[np.float64]:
    residuals: NDArray[np.float64] = (y - mu) / np.sqrt(mu + alpha * mu**2)
    return residuals


def _autocorrelated(lag1: float, n: int) -> bool:
    """Beyond the 95% band of lag-1 autocorrelation for independent months."""
    return abs(lag1) > Z_95 / math.sqrt(n)


def _newey_west_lags(n: int) -> int:
    """The usual lag rule, floor(4 (n / 100) ^ (2 / 9))."""
    lags: int = math.floor(4 * math.pow(n / 100, 2 / 9))
    return max(1, lags)


def _lag1(residuals: NDArray[np.float64]) -> float:
    centred = residuals - residuals.mean()
    denominator = float(centred @ centred)
    return float(centred[1:] @ centred[:-1]) / denominator if denominator else 0.0


# What a fit imports: seconds the first time in a process, most of it scipy.stats.
FITTING_MODULES = (
    "scipy.stats",
    "statsmodels.discrete.discrete_model",
    "statsmodels.genmod.generalized_linear_model",
)


def preload() -> None:
    """Import the fitting libraries ahead of the first fit: servers call this as they start,
    so that the first evaluation a manager opens does not wait seconds for them."""
    for name in FITTING_MODULES:
        importlib.import_module(name)


def fit_its(counts: Sequence[int], *, first_month: int, intervention: int) -> ITSResult:
    """Fit the segmented regression; `intervention` is the index of the campaign's first month.

    Raises CannotEstimate when the series is below the floor or has no counts before the start.
    """
    from scipy.stats import chi2

    if not 1 <= first_month <= 12:
        raise ValueError(f"first_month must be 1 to 12, not {first_month}")
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")
    n, pre = len(counts), intervention
    post = n - pre
    if pre < FLOOR_PRE_MONTHS or post < FLOOR_POST_MONTHS:
        raise CannotEstimate(
            f"{max(pre, 0)} months before the start and {max(post, 0)} after: at least "
            f"{FLOOR_PRE_MONTHS} before and {FLOOR_POST_MONTHS} after are needed to estimate "
            "anything"
        )
    y = np.asarray(counts, dtype=float)
    if y[:pre].sum() == 0 or y[pre:].sum() == 0:
        raise CannotEstimate("no counts before or after the start: there is nothing to compare")
    x = _design(n, first_month, intervention)
    poisson = _fit(y, x, negative_binomial=False)
    mu = np.exp(x @ poisson.params)
    pearson_chi2 = float(np.sum((y - mu) ** 2 / mu))
    df = n - x.shape[1]
    overdispersed = float(chi2.sf(pearson_chi2, df)) < OVERDISPERSION_P
    fit = _fit(y, x, negative_binomial=True) if overdispersed else poisson
    notes: list[str] = []
    if overdispersed and not fit.converged:
        notes.append("The negative binomial model did not converge; Poisson results are shown.")
        fit, overdispersed = poisson, False
    elif not fit.converged:
        notes.append("The model did not converge; treat the estimates with caution.")

    if not np.all(np.isfinite(fit.cov)):
        raise CannotEstimate(
            "the model cannot be fitted to these counts (no uncertainty can be computed); "
            "a longer series, or a wider audience with more URLs a month, may help"
        )
    fitted = np.exp(x @ fit.params)
    autocorrelation = _lag1(_pearson(y, fitted, fit.alpha))
    if _autocorrelated(autocorrelation, n):
        # Bernal et al. adjust for residual autocorrelation; Newey-West keeps the estimates
        # and widens the intervals.
        lags = _newey_west_lags(n)
        robust = _fit(y, x, overdispersed, hac_lags=lags)
        if robust.converged:
            fit = robust
        notes.append(
            f"Neighbouring months are correlated (lag-1 autocorrelation {autocorrelation:.2f}): "
            + (
                f"the intervals allow for it (Newey-West, {lags} lags)."
                if robust.converged
                else "the intervals may be too narrow."
            )
        )
    counterfactual_x = x.copy()
    counterfactual_x[:, 2:4] = 0.0
    counterfactual = np.exp(counterfactual_x @ fit.params)
    draws = np.random.default_rng(SEED).multivariate_normal(fit.params, fit.cov, size=DRAWS)
    gained = np.exp(x[pre:] @ draws.T) - np.exp(counterfactual_x[pre:] @ draws.T)
    cumulative = gained.sum(axis=0)
    low, high = np.percentile(cumulative, [2.5, 97.5])

    se = np.sqrt(np.diag(fit.cov))
    placebo = _placebo(y[:pre], first_month, overdispersed)
    if placebo is not None and placebo.excludes(1.0):
        notes.append(
            "A pretend campaign halfway through the months before the start also shows a "
            f"change (rate ratio {placebo.value:.2f}, 95% interval {placebo.low:.2f} to "
            f"{placebo.high:.2f}): the trend before the campaign is not steady enough for this "
            "method, so the estimate may be the trend's doing rather than the campaign's."
        )
    if pre < MIN_PRE_MONTHS or post < MIN_POST_MONTHS:
        notes.insert(
            0,
            f"The series is too short to say much: {pre} months before and {post} after "
            f"({TOO_SHORT_RULE} is too short). Treat any estimate as provisional.",
        )
    return ITSResult(
        model="negative binomial" if overdispersed else "poisson",
        pre_months=pre,
        post_months=post,
        level_change=_ratio(fit.params[2], se[2]),
        # The design measures time in years; report the change per month.
        slope_change=_ratio(fit.params[3] / 12, se[3] / 12),
        cumulative_effect=Estimate(
            float(fitted[pre:].sum() - counterfactual[pre:].sum()), float(low), float(high)
        ),
        fitted=tuple(float(v) for v in fitted),
        counterfactual=tuple(float(v) for v in counterfactual),
        dispersion=pearson_chi2 / df,
        residual_autocorrelation=autocorrelation,
        warnings=tuple(notes),
        placebo_level_change=placebo,
    )


def _placebo(y: NDArray[np.float64], first_month: int, overdispersed: bool) -> Estimate | None:
    """The level change of a pretend campaign in the middle of the pre-campaign months.

    A placebo test: if the months before the start already "change" when nothing happened,
    their trend is not the steady one the counterfactual assumes (Bernal et al. advise
    checking the model's fit before the intervention). Needs 12 months each side.
    """
    middle = len(y) // 2
    if middle < FLOOR_PRE_MONTHS or len(y) - middle < FLOOR_PRE_MONTHS or y.sum() == 0:
        return None
    x = _design(len(y), first_month, middle)
    try:
        fit = _fit(y, x, overdispersed)
        autocorrelation = _lag1(_pearson(y, np.exp(x @ fit.params), fit.alpha))
        if _autocorrelated(autocorrelation, len(y)):
            robust = _fit(y, x, overdispersed, hac_lags=_newey_west_lags(len(y)))
            fit = robust if robust.converged else fit
    except (ValueError, np.linalg.LinAlgError):
        return None  # a model the months before cannot support: no check, no claim
    if not fit.converged:
        return None
    return _ratio(fit.params[2], math.sqrt(fit.cov[2, 2]))


def _ratio(log_value: float, se: float) -> Estimate:
    return Estimate(
        math.exp(log_value), math.exp(log_value - Z_95 * se), math.exp(log_value + Z_95 * se)
    )
