"""`turntide.core.survey` reduces to the textbook formulas, and raking hits its margins."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from turntide.core import survey

VALUES = st.lists(
    st.floats(min_value=-1e3, max_value=1e3, allow_nan=False).map(lambda v: round(v, 3)),
    min_size=3,
    max_size=40,
).filter(lambda values: len(set(values)) > 1)


@settings(max_examples=60, deadline=None)
@given(VALUES)
def test_equal_weights_and_no_design_give_the_sample_mean_and_its_textbook_error(
    values: list[float],
) -> None:
    n = len(values)
    found = survey.mean(survey.design(rows=n), values)
    assert found.estimate == pytest.approx(np.mean(values), abs=1e-9)
    assert found.se == pytest.approx(np.std(values, ddof=1) / math.sqrt(n), rel=1e-9)
    assert (found.n, found.df) == (n, n - 1)


@settings(max_examples=60, deadline=None)
@given(VALUES, st.integers(min_value=1, max_value=1000))
def test_simple_random_sampling_without_replacement_has_the_fpc_and_a_design_effect_of_one(
    values: list[float], more: int
) -> None:
    n = len(values)
    population = n + more
    d = survey.design(fpc=[population] * n)
    textbook = math.sqrt((1 - n / population) * np.var(values, ddof=1) / n)
    found = survey.total(d, values)
    assert found.estimate == pytest.approx(population * np.mean(values), rel=1e-9, abs=1e-6)
    assert found.se == pytest.approx(population * textbook, rel=1e-9)
    assert found.deff == pytest.approx(1.0, rel=1e-9)
    assert survey.mean(d, values).deff == pytest.approx(1.0, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.booleans(), min_size=3, max_size=60).filter(lambda hits: 0 < sum(hits) < len(hits))
)
def test_a_proportion_under_equal_weights_is_the_share_with_its_textbook_error(
    hits: list[bool],
) -> None:
    n, p = len(hits), sum(hits) / len(hits)
    found = survey.proportion(survey.design(rows=n), [float(hit) for hit in hits])
    assert found.estimate == pytest.approx(p)
    assert found.se == pytest.approx(math.sqrt(p * (1 - p) / (n - 1)), rel=1e-9)
    assert found.ci_low < p < found.ci_high


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_raking_hits_every_margin(data: st.DataObject) -> None:
    n = data.draw(st.integers(min_value=4, max_value=40))
    weights = data.draw(st.lists(st.floats(0.5, 50), min_size=n, max_size=n))
    factors = data.draw(st.lists(st.floats(0.2, 5), min_size=n, max_size=n))
    margins = []
    # Population margins from some reweighting of the sample, so that a raking exists.
    target = np.asarray(weights) * np.asarray(factors)
    for levels in data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)):
        values = data.draw(st.lists(st.integers(0, levels - 1), min_size=n, max_size=n))
        totals = {value: float(target[np.asarray(values) == value].sum()) for value in set(values)}
        margins.append((values, totals))
    raked = survey.rake(
        survey.design(weights=weights), margins, max_iterations=10_000, epsilon=1e-9
    )
    for values, totals in margins:
        for value, population in totals.items():
            reached = raked.weights[np.asarray(values) == value].sum()
            assert reached == pytest.approx(population, abs=1e-6 * target.sum())


def test_raking_to_margins_of_different_populations_fails_clearly() -> None:
    d = survey.design(weights=[1.0] * 4)
    margins = [
        (["a", "a", "b", "b"], {"a": 50, "b": 50}),
        (["x", "y", "x", "y"], {"x": 100, "y": 100}),
    ]
    with pytest.raises(survey.RakingFailed, match="settled at 100 for margin value 'a', not 50"):
        survey.rake(d, margins)


# Every 'a' row is an 'x' row, so 50 'a' cannot fit in 10 'x'.
UNMEETABLE: list[tuple[list[object], dict[object, float]]] = [
    (["a", "a", "b", "b"], {"a": 50, "b": 50}),
    (["x", "x", "x", "y"], {"x": 10, "y": 90}),
]


def test_raking_to_margins_the_data_cannot_meet_fails_clearly() -> None:
    with pytest.raises(survey.RakingFailed, match="margin value 'a'"):
        survey.rake(survey.design(rows=4), UNMEETABLE)


def test_raking_that_does_not_converge_fails_clearly() -> None:
    with pytest.raises(survey.RakingFailed, match="did not converge in 3 iterations"):
        survey.rake(survey.design(rows=4), UNMEETABLE, max_iterations=3, epsilon=1e-12)


def test_a_margin_naming_a_value_missing_from_the_data_is_refused() -> None:
    d = survey.design(weights=[1.0] * 2)
    with pytest.raises(survey.RakingFailed, match="margin value 'c' is not in the data"):
        survey.rake(d, [(["a", "b"], {"a": 5, "b": 5, "c": 5})])


@settings(max_examples=30, deadline=None)
@given(VALUES)
def test_one_domain_holding_every_row_is_the_whole_sample(values: list[float]) -> None:
    d = survey.design(weights=[1.0 + i % 3 for i in range(len(values))])
    assert survey.by(survey.mean, d, values, ["all"] * len(values))["all"] == survey.mean(d, values)
