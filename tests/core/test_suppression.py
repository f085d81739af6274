"""Small-cell suppression: no hidden count can be worked back from what is published."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from turntide.core.suppression import SuppressedTable, suppress

THRESHOLD = 10
counts = st.sampled_from([0, 1, 2, 5, 8, 9, 10, 11, 12, 15, 30, 100])
tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=5
    )
)


def equations(table: SuppressedTable) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
    """What a reader knows: each line and its total, as an equation in the hidden cells."""
    grid = np.array(table.grid)
    rows, columns = grid.shape
    hidden = sorted(table.primary | table.secondary)
    index = {cell: k for k, cell in enumerate(hidden)}
    lines = [([(i, j) for j in range(columns - 1)], (i, columns - 1)) for i in range(rows)]
    lines += [([(i, j) for i in range(rows - 1)], (rows - 1, j)) for j in range(columns)]
    a, b = [], []
    for cells, total in lines:
        row, constant = np.zeros(len(hidden)), 0.0
        for cell in cells:
            if cell in index:
                row[index[cell]] += 1
            else:
                constant -= grid[cell]
        if total in index:
            row[index[total]] -= 1
        else:
            constant += grid[total]
        a.append(row)
        b.append(constant)
    return hidden, np.array(a), np.array(b)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_worked_out(cells: list[list[int]]) -> None:
    try:
        table = suppress(cells, THRESHOLD)
    except ValueError as error:
        refused = str(error)
    else:
        refused = ""
    if refused:
        assert "cannot be protected" in refused
        return
    grid = table.grid
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            assert ((i, j) in table.primary) is (0 < value < THRESHOLD)
    hidden, a, b = equations(table)
    if not hidden:
        return
    rank = np.linalg.matrix_rank(a)
    bounds = [(1, THRESHOLD - 1) if c in table.primary else (THRESHOLD, None) for c in hidden]
    for k, cell in enumerate(hidden):
        unit = np.zeros(len(hidden))
        unit[k] = 1
        # Exactly recoverable by sums and differences iff the unit vector is in the row space.
        assert np.linalg.matrix_rank(np.vstack([a, unit])) > rank, cell
        if cell in table.primary:
            least = linprog(unit, A_eq=a, b_eq=b, bounds=bounds)
            most = linprog(-unit, A_eq=a, b_eq=b, bounds=bounds)
            assert most.status != 0 or -most.fun - least.fun >= 0.5, cell


def test_a_lone_small_cell_gets_complementary_cells_so_totals_do_not_reveal_it() -> None:
    table = suppress([[40, 3], [25, 30]], THRESHOLD)
    shown = table.shown()
    assert shown[0][1] == "<10"
    assert sum(label in {"<10", "x"} for label in shown[0]) >= 2
    assert sum(row[1] in {"<10", "x"} for row in shown) >= 2


def test_large_counts_are_published_untouched() -> None:
    table = suppress([[40, 13], [25, 30]], THRESHOLD)
    assert table.shown() == [["40", "13", "53"], ["25", "30", "55"], ["65", "43", "108"]]


def test_zeros_are_shown() -> None:
    assert suppress([[0, 20], [30, 40]], THRESHOLD).shown()[0][0] == "0"


def test_the_mark_follows_the_threshold() -> None:
    assert suppress([[4, 20, 20], [30, 40, 50]], 5).shown()[0][0] == "<5"


@pytest.mark.parametrize(
    ("cells", "threshold", "message"),
    [
        ([[1]], 1, "at least 2"),
        ([], 10, "at least one cell"),
        ([[1, 2], [3]], 10, "equal"),
        ([[-1, 2]], 10, "negative"),
    ],
)
def test_bad_tables_are_refused(cells: list[list[int]], threshold: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        suppress(cells, threshold)


def test_a_total_hidden_in_a_linked_table_is_hidden_here_and_protected() -> None:
    table = suppress([[40, 30], [25, 30]], THRESHOLD, also_hide=[(0, 2)])
    assert table.hidden((0, 2))
    assert not table.primary
    assert len(table.secondary) >= 3  # a lone hidden total would be its row's sum
