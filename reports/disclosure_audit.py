"""Which hidden cells a reader could still work out exactly: the audit behind
secondary suppression (``reports.disclosure``).

Hiding two cells per line is not always enough. Harbour is open source, so a
reader knows the rules: a published 0 is exactly 0, a published v is a count
in v-2..v+2 above the threshold, a "small" cell is 1 to the threshold, a
"secondary" one is above it (zeros are never hidden), a "withheld" one
is above 0, and each total is the
sum of its parts. In the row 1, 8, 38 with total 47, published as
``small, secondary, 40, 45``, the two hidden cells add up to 45 - 40 = 1 to 9
and the secondary one is at least 8, so the small one is exactly 1.

Those rules are bounds on cells and on sums over rows and columns: a flow
network (source -> rows -> cells -> columns -> grand total -> back), whose
matrix is totally unimodular, so a count is consistent with everything
published exactly when a feasible integer circulation carries it. A hidden
cell is recoverable when no circulation carries any other count.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

UNBOUNDED = 10**9

Cell = tuple[int, int]


@dataclass(frozen=True)
class Layout:
    """The raw counts (with their totals) and what is hidden, as in ``_Grid``."""

    raw: list[list[int]]
    marks: list[list[str]]
    in_total: list[bool]
    total_row: int | None
    total_column: int | None
    limit: int
    # Each count rounded as it would be published (read only for shown cells).
    rounded: list[list[int]]


@dataclass(frozen=True)
class _Edge:
    start: int
    end: int
    low: int
    high: int


def _bounds(layout: Layout, cell: Cell) -> tuple[int, int]:
    mark, count = layout.marks[cell[0]][cell[1]], layout.raw[cell[0]][cell[1]]
    if mark == "small":
        return 1, layout.limit
    if mark == "secondary":
        return layout.limit + 1, UNBOUNDED
    if mark == "withheld":
        return 1, UNBOUNDED
    if count == 0:
        return 0, 0
    shown = layout.rounded[cell[0]][cell[1]]
    return max(shown - 2, layout.limit + 1), shown + 2


def _network(layout: Layout) -> tuple[int, list[_Edge], dict[Cell, int]]:
    parts = layout.total_row if layout.total_row is not None else len(layout.raw)
    width = layout.total_column if layout.total_column is not None else len(layout.raw[0])
    source, grand, sink = 0, 1 + parts + width, 2 + parts + width
    edges: list[_Edge] = []
    where: dict[Cell, int] = {}

    def add(start: int, end: int, cell: Cell | None) -> None:
        if cell is not None:
            where[cell] = len(edges)
        low, high = _bounds(layout, cell) if cell is not None else (0, UNBOUNDED)
        edges.append(_Edge(start, end, low, high))

    for i in range(parts):
        add(source, 1 + i, (i, layout.total_column) if layout.total_column is not None else None)
        for j in range(width):
            # A row outside the breakdown is in no column's total.
            add(1 + i, 1 + parts + j if layout.in_total[i] else sink, (i, j))
    for j in range(width):
        add(1 + parts + j, grand, (layout.total_row, j) if layout.total_row is not None else None)
    corner = None
    if layout.total_row is not None and layout.total_column is not None:
        corner = (layout.total_row, layout.total_column)
    add(grand, sink, corner)
    edges.append(_Edge(sink, source, 0, UNBOUNDED * 100))
    return sink + 1, edges, where


def _max_flow(nodes: int, arcs: list[tuple[int, int, int]], source: int, sink: int) -> int:
    graph: list[list[int]] = [[] for _ in range(nodes)]
    ends: list[int] = []
    left: list[int] = []
    for start, end, capacity in arcs:
        graph[start].append(len(ends))
        ends.append(end)
        left.append(capacity)
        graph[end].append(len(ends))
        ends.append(start)
        left.append(0)
    total = 0
    while True:  # Edmonds-Karp: the graphs have a few dozen nodes
        came_by = [-1] * nodes
        came_by[source] = -2
        queue = deque([source])
        while queue and came_by[sink] == -1:
            node = queue.popleft()
            for arc in graph[node]:
                if left[arc] > 0 and came_by[ends[arc]] == -1:
                    came_by[ends[arc]] = arc
                    queue.append(ends[arc])
        if came_by[sink] == -1:
            return total
        path, node = [], sink
        while node != source:
            path.append(came_by[node])
            node = ends[came_by[node] ^ 1]
        pushed = min(left[arc] for arc in path)
        for arc in path:
            left[arc] -= pushed
            left[arc ^ 1] += pushed
        total += pushed


def _feasible(nodes: int, edges: list[_Edge]) -> bool:
    """Whether some circulation meets every edge's bounds (the textbook
    reduction of lower bounds to one maximum flow)."""
    excess = [0] * nodes
    arcs = []
    for edge in edges:
        if edge.low > edge.high:
            return False
        arcs.append((edge.start, edge.end, edge.high - edge.low))
        excess[edge.end] += edge.low
        excess[edge.start] -= edge.low
    source, sink = nodes, nodes + 1
    for node, amount in enumerate(excess):
        arcs.append((source, node, amount) if amount > 0 else (node, sink, -amount))
    needed = sum(amount for amount in excess if amount > 0)
    return _max_flow(nodes + 2, arcs, source, sink) == needed


def recoverable(layout: Layout) -> list[Cell]:
    """The hidden cells whose count is the only one consistent with what is
    published, in reading order."""
    if not layout.raw or not layout.raw[0]:
        return []
    nodes, edges, where = _network(layout)
    found = []
    for cell in sorted(where):
        if not layout.marks[cell[0]][cell[1]]:
            continue
        index, count = where[cell], layout.raw[cell[0]][cell[1]]
        edge = edges[index]
        others = ((edge.low, count - 1), (count + 1, edge.high))
        trials = (
            [*edges[:index], _Edge(edge.start, edge.end, low, high), *edges[index + 1 :]]
            for low, high in others
        )
        if not any(_feasible(nodes, trial) for trial in trials):
            found.append(cell)
    return found
