"""Small-cell suppression for two-way count tables published with their totals.

A table of counts goes out with its row totals, column totals and grand total. A count from 1
to `threshold - 1` is too small to publish (primary suppression: shown as "<10"); zeros are
shown. Hiding those alone is not enough, because a published total minus the published cells
of its line gives a lone hidden cell back, and so do longer chains of such sums. So more cells
are hidden (secondary, or complementary, suppression) until no hidden cell can be worked out:

1. **No exact recovery by sums.** Write the table with its margins as an (R+1) x (C+1) grid;
   each line (row or column, with its total) is one equation. Hidden cells are the edges of a
   bipartite graph between lines. A hidden cell is recoverable from the equations exactly
   when its edge is a bridge of that graph (it lies on no cycle), so every bridge is put on a
   cycle by hiding the cheapest rectangle of cells through it (cost: the counts hidden, interior
   cells before totals; zeros are never used, so every secondary cell is at least `threshold`).
2. **No recovery through the bounds.** Readers know a "<10" cell holds 1 to 9 and a secondary
   cell at least `threshold` (zeros are shown, so a hidden cell is never 0). For each group of
   hidden cells linked by shared lines, a linear programme finds the least and the most each
   primary cell can be given the published figures; where the two meet, the cheapest further
   cell in that cell's row or column is hidden, and both steps run again.

>>> table = suppress([[12, 3, 20], [15, 14, 11]], threshold=10)
>>> table.shown()
[['x', '<10', '20', '35'], ['x', 'x', '11', '40'], ['27', '17', '31', '75']]
>>> sorted(table.primary), sorted(table.secondary)
([(0, 1)], [(0, 0), (1, 0), (1, 1)])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["PRIMARY_MARK", "SECONDARY_MARK", "SuppressedTable", "suppress"]

SECONDARY_MARK = "x"
PRIMARY_MARK = "<{threshold}"

Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """The counts with their margins: the last row holds column totals, the last column row
    totals. `primary` and `secondary` are the hidden positions in that grid."""

    grid: tuple[tuple[int, ...], ...]
    threshold: int
    primary: frozenset[Cell]
    secondary: frozenset[Cell]

    def hidden(self, cell: Cell) -> bool:
        return cell in self.primary or cell in self.secondary

    def label(self, cell: Cell) -> str:
        if cell in self.primary:
            return PRIMARY_MARK.format(threshold=self.threshold)
        if cell in self.secondary:
            return SECONDARY_MARK
        return str(self.grid[cell[0]][cell[1]])

    def shown(self) -> list[list[str]]:
        """Every entry as published, margins included."""
        return [[self.label((i, j)) for j in range(len(row))] for i, row in enumerate(self.grid)]


def with_margins(cells: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    rows = [(*row, sum(row)) for row in cells]
    totals = tuple(sum(column) for column in zip(*rows, strict=True))
    return (*rows, totals)


def suppress(
    cells: Sequence[Sequence[int]], threshold: int, *, also_hide: Iterable[Cell] = ()
) -> SuppressedTable:
    """Hide small counts and enough others that none of them can be worked out.

    `also_hide` names entries of the grid with margins that must be hidden too: totals that
    another published table shares and hides, so that it cannot give them away here.
    """
    if threshold < 2:
        raise ValueError("the suppression threshold must be at least 2")
    if not cells or not cells[0] or any(len(row) != len(cells[0]) for row in cells):
        raise ValueError("a table needs at least one cell and rows of equal length")
    if any(value < 0 for row in cells for value in row):
        raise ValueError("counts cannot be negative")
    grid = with_margins(cells)
    primary = {
        (i, j) for i, row in enumerate(grid) for j, value in enumerate(row) if 0 < value < threshold
    }
    hidden = primary | {cell for cell in also_hide if grid[cell[0]][cell[1]]}
    while _close_bridges(grid, hidden) or _audit_bounds(grid, hidden, primary, threshold):
        pass
    return SuppressedTable(grid, threshold, frozenset(primary), frozenset(hidden - primary))


def _cost(grid: tuple[tuple[int, ...], ...], hidden: set[Cell], cell: Cell) -> float:
    """What hiding `cell` loses: its count, more for totals; zeros are never hidden."""
    if cell in hidden:
        return 0.0
    i, j = cell
    value = grid[i][j]
    if value == 0:
        return float("inf")
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    margins = (i == last_row) + (j == last_column)
    return value + margins * (grid[last_row][last_column] + 1)


def _close_bridges(grid: tuple[tuple[int, ...], ...], hidden: set[Cell]) -> bool:
    """Put every bridge on a cycle by hiding the cheapest rectangle through it."""
    changed = False
    while bridges := _bridges(grid, hidden):
        i, j = bridges[0]
        best: tuple[float, Cell] | None = None
        for r in range(len(grid)):
            if r == i:
                continue
            for c in range(len(grid[0])):
                if c == j:
                    continue
                cost = sum(_cost(grid, hidden, cell) for cell in ((i, c), (r, c), (r, j)))
                if best is None or cost < best[0]:
                    best = (cost, (r, c))
        if best is None or best[0] == float("inf"):
            raise ValueError("this table cannot be protected: too few non-zero cells")
        r, c = best[1]
        hidden.update({(i, c), (r, c), (r, j)})
        changed = True
    return changed


def _bridges(grid: tuple[tuple[int, ...], ...], hidden: set[Cell]) -> list[Cell]:
    """Hidden cells whose edge between row node `i` and column node `R + 1 + j` is a bridge."""
    rows = len(grid)
    neighbours: dict[int, list[tuple[int, Cell]]] = {}
    for i, j in hidden:
        neighbours.setdefault(i, []).append((rows + j, (i, j)))
        neighbours.setdefault(rows + j, []).append((i, (i, j)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[Cell] = []
    for root in sorted(neighbours):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[int, Cell | None, int]] = [(root, None, 0)]
        while stack:
            node, via, position = stack.pop()
            if position < len(neighbours[node]):
                stack.append((node, via, position + 1))
                other, edge = neighbours[node][position]
                if edge == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = len(order)
                    stack.append((other, edge, 0))
            elif via is not None:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    found.append(via)
    return sorted(found)


def _components(hidden: set[Cell], rows: int) -> list[list[Cell]]:
    """Hidden cells grouped by connection through shared lines (row node i, column node R+1+j)."""
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in hidden:
        parent[find(i)] = find(rows + j)
    groups: dict[int, list[Cell]] = {}
    for cell in sorted(hidden):
        groups.setdefault(find(cell[0]), []).append(cell)
    return list(groups.values())


def _audit_bounds(
    grid: tuple[tuple[int, ...], ...], hidden: set[Cell], primary: set[Cell], threshold: int
) -> bool:
    """Hide one more cell beside each primary cell that the published figures pin down.

    Every line sums to zero once totals carry a minus sign (the grand total a plus), so the
    readers' knowledge is a small linear programme per connected group of hidden cells: its
    line equations, primary cells in [1, threshold - 1], secondary cells at least `threshold`.
    """
    from scipy.optimize import linprog

    rows, columns = len(grid), len(grid[0])
    pinned: list[Cell] = []

    def sign(cell: Cell) -> int:
        return -1 if (cell[0] == rows - 1) != (cell[1] == columns - 1) else 1

    for group in _components(hidden, rows):
        index = {cell: k for k, cell in enumerate(group)}
        nodes = sorted({cell[0] for cell in group} | {rows + cell[1] for cell in group})
        equations, constants = [], []
        for node in nodes:
            line = (
                [(node, j) for j in range(columns)]
                if node < rows
                else [(i, node - rows) for i in range(rows)]
            )
            coefficients = [0] * len(group)
            constant = 0
            for cell in line:
                if cell in index:
                    coefficients[index[cell]] = sign(cell)
                else:
                    constant -= sign(cell) * grid[cell[0]][cell[1]]
            equations.append(coefficients)
            constants.append(constant)
        bounds = [(1, threshold - 1) if cell in primary else (threshold, None) for cell in group]
        for cell in group:
            if cell not in primary or _movable(grid, hidden, primary, threshold, cell, sign):
                continue
            objective = [0] * len(group)
            objective[index[cell]] = 1
            least = linprog(objective, A_eq=equations, b_eq=constants, bounds=bounds)
            objective[index[cell]] = -1
            most = linprog(objective, A_eq=equations, b_eq=constants, bounds=bounds)
            if most.status == 0 and least.status == 0 and -most.fun - least.fun < 0.5:
                pinned.append(cell)
    for i, j in pinned:
        beside = [(i, c) for c in range(columns)] + [(r, j) for r in range(rows)]
        cheapest = min(beside, key=lambda other: _cost(grid, hidden, other) or math.inf)
        if _cost(grid, hidden, cheapest) in (0.0, math.inf):
            raise ValueError("this table cannot be protected: too few non-zero cells")
        hidden.add(cheapest)
    return bool(pinned)


def _movable(
    grid: tuple[tuple[int, ...], ...],
    hidden: set[Cell],
    primary: set[Cell],
    threshold: int,
    cell: Cell,
    sign: Callable[[Cell], int],
) -> bool:
    """A quick proof that `cell` is not pinned: moving one unit round a hidden rectangle
    through it keeps every line's sum and every cell within what readers know of it."""

    def fits(other: Cell, step: int) -> bool:
        value = grid[other[0]][other[1]] + sign(other) * step
        return 1 <= value < threshold if other in primary else value >= threshold

    i, j = cell
    across = [c for c in range(len(grid[0])) if c != j and (i, c) in hidden]
    down = [r for r in range(len(grid)) if r != i and (r, j) in hidden]
    for c in across:
        for r in down:
            if (r, c) not in hidden:
                continue
            for step in (1, -1):
                moves = [(cell, step), ((i, c), -step), ((r, c), step), ((r, j), -step)]
                if all(fits(other, s) for other, s in moves):
                    return True
    return False
