"""The interrupted time series finds planted effects and is right about its own uncertainty."""

from __future__ import annotations

import numpy as np
import pytest

from turntide.core import its
from turntide.core.its import CannotEstimate, fit_its

MONTHS = 60
START = 42  # 42 months before the campaign, 18 after


def expected_counts(level: float = 60.0, effect: float = 1.0) -> np.ndarray:
    """A rising, seasonal monthly count; `effect` multiplies every month from START on."""
    t = np.arange(MONTHS)
    mu = level * np.exp(
        0.015 * t + 0.2 * np.sin(2 * np.pi * t / 12) + 0.1 * np.cos(4 * np.pi * t / 12)
    )
    mu[START:] *= effect
    return mu


def negative_binomial(rng: np.random.Generator, mu: np.ndarray, size: float) -> list[int]:
    """Counts with variance mu + mu^2 / size: more spread than Poisson."""
    return rng.negative_binomial(size, size / (size + mu)).tolist()


def test_the_interval_covers_a_planted_level_change_at_about_95_percent() -> None:
    rng = np.random.default_rng(11)
    mu = expected_counts(effect=0.75)
    runs = 100
    covered = 0
    for _ in range(runs):
        result = fit_its(rng.poisson(mu).tolist(), first_month=1, intervention=START)
        covered += result.level_change.low <= 0.75 <= result.level_change.high
    # Binomial(100, 0.95): below 88 has probability under 1%.
    assert covered >= 88


def test_a_planted_effect_is_found_with_its_cumulative_size() -> None:
    rng = np.random.default_rng(3)
    mu = expected_counts(level=200.0, effect=0.6)
    result = fit_its(rng.poisson(mu).tolist(), first_month=1, intervention=START)
    assert result.significant
    assert result.level_change.low <= 0.6 <= result.level_change.high
    truth = float(mu[START:].sum() - (mu[START:] / 0.6).sum())
    effect = result.cumulative_effect
    assert effect.low <= truth <= effect.high
    assert effect.high < 0
    # The counterfactual carries the pre-campaign course on: about the count without the effect.
    ratio = np.array(result.counterfactual[START:]) / (mu[START:] / 0.6)
    assert np.all(np.abs(ratio - 1) < 0.15)


@pytest.mark.parametrize("overdispersed", [False, True], ids=["poisson", "negative-binomial"])
def test_false_significant_results_under_no_effect_are_near_the_nominal_5_percent(
    overdispersed: bool,
) -> None:
    rng = np.random.default_rng(2024 + overdispersed)
    mu = expected_counts()
    runs = 200
    false_level = false_cumulative = 0
    models = set()
    for _ in range(runs):
        counts = negative_binomial(rng, mu, 8.0) if overdispersed else rng.poisson(mu).tolist()
        result = fit_its(counts, first_month=1, intervention=START)
        models.add(result.model)
        false_level += result.significant
        false_cumulative += result.cumulative_effect.excludes(0.0)
    # Binomial(200, 0.05) has mean 10 and sd 3.1; 2..22 is beyond +-3.9 sd.
    assert 2 <= false_level <= 22
    assert 2 <= false_cumulative <= 22
    if overdispersed:
        assert "negative binomial" in models


def test_overdispersed_counts_get_the_negative_binomial_model() -> None:
    rng = np.random.default_rng(5)
    result = fit_its(
        negative_binomial(rng, expected_counts(200.0), 3.0), first_month=1, intervention=START
    )
    assert result.model == "negative binomial"
    assert result.dispersion > 2


def test_poisson_counts_mostly_keep_the_poisson_model() -> None:
    """The dispersion test is a 5% test: about 1 Poisson series in 20 is called overdispersed."""
    rng = np.random.default_rng(6)
    mu = expected_counts()
    models = [
        fit_its(rng.poisson(mu).tolist(), first_month=1, intervention=START).model
        for _ in range(100)
    ]
    # Binomial(100, 0.05): more than 13 has probability under 0.1%.
    assert models.count("negative binomial") <= 13


@pytest.mark.parametrize(
    ("months", "start", "too_short"),
    [(60, 42, False), (36, 24, False), (35, 23, True), (30, 24, True), (15, 12, True)],
)
def test_a_short_series_is_flagged_too_short(months: int, start: int, too_short: bool) -> None:
    counts = np.random.default_rng(1).poisson(50, months).tolist()
    result = fit_its(counts, first_month=7, intervention=start)
    assert result.too_short is too_short
    assert any("too short" in warning for warning in result.warnings) is too_short


@pytest.mark.parametrize(("months", "start"), [(20, 11), (14, 12), (30, 40), (30, 0)])
def test_below_the_floor_nothing_is_estimated(months: int, start: int) -> None:
    with pytest.raises(CannotEstimate, match="needed to estimate"):
        fit_its([30] * months, first_month=1, intervention=start)


def test_a_series_of_zeros_before_the_start_cannot_be_estimated() -> None:
    with pytest.raises(CannotEstimate, match="nothing to compare"):
        fit_its([0] * 30 + [4] * 12, first_month=1, intervention=30)


@pytest.mark.parametrize(
    ("counts", "first_month", "message"),
    [([1] * 40, 13, "first_month"), ([1] * 39 + [-1], 1, "negative")],
)
def test_bad_input_is_refused(counts: list[int], first_month: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fit_its(counts, first_month=first_month, intervention=30)


def test_the_assumptions_are_stated() -> None:
    assert len(its.ASSUMPTIONS) >= 4
    assert "24 months" in its.TOO_SHORT_RULE


def test_correlated_neighbouring_months_get_newey_west_intervals() -> None:
    rng = np.random.default_rng(9)
    drift = np.zeros(MONTHS)
    for t in range(1, MONTHS):  # a slowly wandering level: months resemble their neighbours
        drift[t] = 0.8 * drift[t - 1] + rng.normal(0, 0.12)
    counts = rng.poisson(expected_counts(level=300.0) * np.exp(drift)).tolist()
    result = fit_its(counts, first_month=1, intervention=START)
    assert result.residual_autocorrelation > 0.3
    assert any("Newey-West" in warning for warning in result.warnings)


def test_a_steady_pre_campaign_trend_passes_the_placebo_check() -> None:
    rng = np.random.default_rng(5)
    flagged = 0
    for _ in range(40):
        result = fit_its(rng.poisson(expected_counts()).tolist(), first_month=1, intervention=START)
        assert result.placebo_level_change is not None
        flagged += result.placebo_level_change.excludes(1.0)
    # A pretend campaign where nothing happened: "significant" about 5% of the time.
    assert flagged <= 6


def test_a_surge_before_the_campaign_fails_the_placebo_check_and_says_so() -> None:
    """Growth that slows (a logistic surge) is not the steady trend the counterfactual needs:
    the estimate of a campaign that did nothing is then the trend's doing, and the result
    must say so."""
    t = np.arange(MONTHS)
    mu = 20 + 280 / (1 + np.exp(-(t - 24) / 4))  # rises fast around month 24, then flattens
    counts = np.random.default_rng(8).poisson(mu).tolist()
    result = fit_its(counts, first_month=1, intervention=START)
    assert result.placebo_level_change is not None
    assert result.placebo_level_change.excludes(1.0)
    assert any("pretend campaign" in note for note in result.warnings)


def test_too_few_months_before_the_start_for_a_placebo() -> None:
    counts = np.random.default_rng(2).poisson(expected_counts()[:36]).tolist()
    assert fit_its(counts, first_month=1, intervention=20).placebo_level_change is None


# Monthly counts from the demo history (synthetic) where the negative binomial fit finds no
# covariance; statsmodels then raises from cov_params, which once made the page fail.
SINGULAR_NB = [5, 3, 5, 6, 2, 4, 2, 5, 7, 0, 3, 4, 4, 5, 6, 3, 3, 5, 0, 4, 4, 9, 14, 3, 9, 8]
SINGULAR_NB += [10, 5, 8, 7, 6, 13, 14, 11, 11, 11, 12, 19, 17, 24, 17, 17, 15, 18, 16, 13, 20]
SINGULAR_NB += [23, 45, 44, 38, 41, 45, 46, 47, 52, 44, 52, 42, 45, 42, 49, 43, 60, 48, 45, 37]
SINGULAR_NB += [48, 47, 42, 52, 43, 64, 51, 60, 69, 68, 65, 61, 77, 55, 52, 42, 68]


def test_a_model_without_covariance_falls_back_instead_of_failing() -> None:
    result = fit_its(SINGULAR_NB, first_month=1, intervention=60)
    assert result.model == "poisson"
    assert any("did not converge" in note for note in result.warnings)
