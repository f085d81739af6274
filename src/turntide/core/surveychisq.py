"""The Rao-Scott test of independence in a two-way table of survey data, as R's `svychisq`.

Separate from `turntide.core.survey`'s estimates, whose design and variance it uses: Pearson's
statistic on the weighted table, adjusted for the design to second order (Rao and Scott 1984),
tested against R's own figures for its California API samples (tests/data/survey/chisq.csv).

>>> from turntide.core.survey import design
>>> d = design(weights=[1.0] * 8, strata=["a"] * 4 + ["b"] * 4)
>>> test = rao_scott(d, list("xxyyxyxy"), list("ppqqpqqp"))
>>> round(test.pearson, 4), round(test.ndf, 4)
(2.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

# The design's own machinery: one variance, one way of reading categories and missing values.
from turntide.core.survey import Design, Floats, SurveyError, _factorize, _missing, _variance

__all__ = ["ChiSquare", "rao_scott"]


@dataclass(frozen=True)
class ChiSquare:
    """Rao-Scott second-order test of independence in a two-way table (R's `svychisq`,
    statistic "F"): `pearson` is the unadjusted statistic on the table scaled to the sample."""

    f: float
    ndf: float
    ddf: float
    p_value: float
    pearson: float


def rao_scott(d: Design, rows: Sequence[object], cols: Sequence[object]) -> ChiSquare:
    """Test that `rows` and `cols` are independent, adjusting Pearson's statistic for the
    design (Rao and Scott 1984, second order), exactly as R's `svychisq(~rows + cols)`."""
    known = np.array([not (_missing(r) or _missing(c)) for r, c in zip(rows, cols, strict=True)])
    row_codes, row_labels = _factorize([r for r, k in zip(rows, known, strict=True) if k], "rows")
    col_codes, col_labels = _factorize([c for c, k in zip(cols, known, strict=True) if k], "cols")
    nr, nc = len(row_labels), len(col_labels)
    if nr < 2 or nc < 2:
        raise SurveyError("a two-way table needs two values or more on each side")
    cells = np.zeros((d.rows, nr * nc))
    cells[np.flatnonzero(known), row_codes + nr * col_codes] = 1.0
    w = np.where(known, d.weights, 0.0)
    shares = w @ cells / w.sum()
    influence = (cells - shares) * (w / w.sum())[:, None]
    variance = _variance(d, influence, known)
    size = d.rows
    table = (shares * size).reshape(nc, nr).T
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / size
    pearson = float(((table - expected) ** 2 / expected).sum())
    contrasts = _interaction_contrasts(nr, nc)
    inverse = np.diag(np.where(shares == 0, 0.0, 1 / np.where(shares == 0, 1.0, shares)))
    denominator = contrasts.T @ (inverse / size) @ contrasts
    numerator = contrasts.T @ inverse @ variance @ inverse @ contrasts
    delta = np.linalg.solve(denominator, numerator)
    trace = float(np.trace(delta))
    ndf = trace**2 / float(np.trace(delta @ delta))
    ddf = ndf * (d.psus - len(d.stratum_labels))
    f = pearson / trace
    return ChiSquare(f, ndf, ddf, float(stats.f.sf(f, ndf, ddf)), pearson)


def _interaction_contrasts(nr: int, nc: int) -> Floats:
    """The interaction columns of the saturated model, less their projection on the main
    effects (R's `qr.resid(qr(X1), X12[, -(1:(nr + nc - 1))])`), cells with rows fastest."""
    row = np.tile(np.arange(nr), nc)
    col = np.repeat(np.arange(nc), nr)
    main = np.column_stack(
        [np.ones(nr * nc)]
        + [(row == i).astype(float) for i in range(1, nr)]
        + [(col == j).astype(float) for j in range(1, nc)]
    )
    interactions = np.column_stack(
        [((row == i) & (col == j)).astype(float) for j in range(1, nc) for i in range(1, nr)]
    )
    fitted = main @ np.linalg.lstsq(main, interactions, rcond=None)[0]
    return np.asarray(interactions - fitted, dtype=np.float64)
