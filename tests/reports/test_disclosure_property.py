"""No suppressed cell can be worked out from what is published, for any table.

The reader here is a careful attacker who knows the rules: a published 0 is
exactly 0; a published v is a count in v-2..v+2 above the threshold; a
"small" cell is 1 to the threshold; a "secondary" one is above it (zeros are
never hidden); a "withheld" one is above 0; every published total is
the sum of its parts. Those are
interval bounds on cells and on sums of cells over rows and columns, which is
a flow network (rows -> cells -> columns -> grand total): its matrix is
totally unimodular, so a count is consistent with the published figures
exactly when a feasible integer circulation carries it. For every hidden
cell we check that some other count is feasible too, a check that is both
sound and complete, unlike interval propagation. This reader knows more than
one who takes a hidden cell as anything from 0 up and a published v as
v-2..v+2, so a cell this reader cannot pin down, that one cannot either.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.disclosure import publish_table
from reports.published import PublishedCell, PublishedTable
from reports.tables import Row, Table

LARGE = 10**6  # no upper bound on a hidden or unbounded count


@dataclass
class Edge:
    start: int
    end: int
    low: int
    high: int


def max_flow(nodes: int, capacities: list[tuple[int, int, int]], source: int, sink: int) -> int:
    """Edmonds-Karp on a handful of nodes (the graphs here have about 20)."""
    graph: list[list[int]] = [[] for _ in range(nodes)]
    ends: list[int] = []
    left: list[int] = []
    for start, end, capacity in capacities:
        graph[start].append(len(ends))
        ends.append(end)
        left.append(capacity)
        graph[end].append(len(ends))
        ends.append(start)
        left.append(0)
    total = 0
    while True:
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
            arc = came_by[node]
            path.append(arc)
            node = ends[arc ^ 1]
        pushed = min(left[arc] for arc in path)
        for arc in path:
            left[arc] -= pushed
            left[arc ^ 1] += pushed
        total += pushed


def feasible(nodes: int, edges: list[Edge]) -> bool:
    """Whether a circulation meets every edge's lower and upper bound."""
    excess = [0] * nodes
    capacities = []
    for edge in edges:
        if edge.low > edge.high:
            return False
        capacities.append((edge.start, edge.end, edge.high - edge.low))
        excess[edge.end] += edge.low
        excess[edge.start] -= edge.low
    source, sink = nodes, nodes + 1
    needed = 0
    for node, amount in enumerate(excess):
        if amount > 0:
            capacities.append((source, node, amount))
            needed += amount
        elif amount < 0:
            capacities.append((node, sink, -amount))
    return max_flow(nodes + 2, capacities, source, sink) == needed


def bounds(cell: PublishedCell, limit: int) -> tuple[int, int]:
    if cell.suppressed == "small":
        return 1, limit
    if cell.suppressed == "secondary":
        return limit + 1, LARGE
    if cell.suppressed == "withheld":
        return 1, LARGE
    assert cell.value is not None
    if cell.value == 0:
        return 0, 0
    return max(cell.value - 2, limit + 1), cell.value + 2


def network(
    published: PublishedTable, table: Table, limit: int
) -> tuple[int, list[Edge], dict[tuple[int, int], int]]:
    """The published figures as a circulation; ``where`` maps each published
    cell (row, column) to the edge that carries its count."""
    rows, columns = len(table.rows), len(table.columns)
    cells = [row.cells for row in published.rows]
    total_row = rows if table.column_totals else None
    total_column = columns if table.row_totals else None
    source, grand, sink = 0, 1 + rows + columns, 2 + rows + columns
    edges: list[Edge] = []
    where: dict[tuple[int, int], int] = {}

    def add(start: int, end: int, low: int, high: int, cell: tuple[int, int] | None) -> None:
        if cell is not None:
            where[cell] = len(edges)
        edges.append(Edge(start, end, low, high))

    for i, row in enumerate(table.rows):
        if total_column is not None:
            add(source, 1 + i, *bounds(cells[i][total_column], limit), (i, total_column))
        else:
            add(source, 1 + i, 0, LARGE, None)
        for j in range(columns):
            # A row outside the breakdown is in no column's total.
            end = 1 + rows + j if row.in_total else sink
            add(1 + i, end, *bounds(cells[i][j], limit), (i, j))
    for j in range(columns):
        if total_row is not None:
            add(1 + rows + j, grand, *bounds(cells[total_row][j], limit), (total_row, j))
        else:
            add(1 + rows + j, grand, 0, LARGE, None)
    if total_row is not None and total_column is not None:
        add(grand, sink, *bounds(cells[total_row][total_column], limit), (total_row, total_column))
    else:
        add(grand, sink, 0, LARGE, None)
    add(sink, source, 0, LARGE * 100, None)
    return sink + 1, edges, where


def raw_grid(table: Table) -> list[list[int]]:
    raw = [list(row.values) for row in table.rows]
    if table.row_totals:
        for values in raw:
            values.append(sum(values))
    if table.column_totals:
        counted = [values for values, row in zip(raw, table.rows, strict=True) if row.in_total]
        raw.append([sum(values[j] for values in counted) for j in range(len(raw[0]))])
    return raw


@st.composite
def tables(draw: st.DrawFn) -> Table:
    columns = draw(st.integers(1, 4))
    count = st.one_of(st.integers(0, 12), st.integers(0, 60))
    rows = [
        Row(
            f"row {i}",
            tuple(draw(st.lists(count, min_size=columns, max_size=columns))),
            draw(st.sampled_from([True, True, True, False])),
        )
        for i in range(draw(st.integers(1, 6)))
    ]
    return Table(
        key="property.table",
        title="Any table",
        row_heading="Category",
        columns=tuple(f"column {j}" for j in range(columns)),
        rows=tuple(rows),
        column_totals=draw(st.booleans()),
        row_totals=draw(st.booleans()),
        percentages=draw(st.booleans()),
    )


def lines(published: PublishedTable, table: Table) -> list[list[PublishedCell]]:
    """Every row and column with a published total, total included, whose
    parts secondary suppression may hide: not the Total row's own line (the
    column totals are never hidden to protect a cell, and the exact check
    below covers that line)."""
    found = []
    body = [row for row in published.rows if not row.is_total]
    if table.column_totals:
        for j in range(len(published.columns)):
            found.append(
                [row.cells[j] for row in body if row.in_total] + [published.rows[-1].cells[j]]
            )
    if table.row_totals:
        found.extend(list(row.cells) for row in body)
    return found


@settings(max_examples=200, deadline=None)
@given(table=tables(), limit=st.sampled_from([7, 7, 7, 10]))
def test_no_suppressed_cell_can_be_recovered_from_the_published_figures(
    table: Table, limit: int
) -> None:
    published = publish_table(table, threshold=limit)
    raw = raw_grid(table)

    for line in lines(published, table):
        # One hidden cell in a line is allowed only where every other part
        # of the line is 0: the hidden one is then its total, which is never
        # hidden to protect it, and is known only as well as the total's
        # rounding says (never a small one: its total would be small too).
        # The exact check below still proves nothing can be worked out.
        hidden = [cell for cell in line if cell.suppressed]
        if len(hidden) == 1:
            assert hidden[0].suppressed != "small"
            assert all(cell.value == 0 for cell in line[:-1] if not cell.suppressed)

    for i, row in enumerate(published.rows):
        for j, cell in enumerate(row.cells):
            count = raw[i][j]
            if cell.suppressed == "small":
                assert 1 <= count <= limit
            elif cell.suppressed == "secondary":
                assert count > limit
            elif cell.suppressed == "withheld":
                # A column's total is never hidden to protect a cell, and
                # zeros are never hidden.
                assert not published.rows[i].is_total
                assert count > 0
            elif cell.suppressed:
                raise AssertionError(f"unknown mark {cell.suppressed!r}")
            else:
                assert cell.value is not None
                assert count == 0 or count > limit
                assert cell.value % 5 == 0
                assert abs(cell.value - count) <= 2
                assert (cell.value == 0) == (count == 0)
                if limit == 7:
                    assert not 1 <= cell.value <= limit

    nodes, edges, where = network(published, table, limit)
    # The raw counts themselves must satisfy the model, or it proves nothing.
    truth = list(edges)
    for (i, j), index in where.items():
        truth[index] = Edge(edges[index].start, edges[index].end, raw[i][j], raw[i][j])
    assert feasible(nodes, truth)

    for (i, j), index in where.items():
        if not published.rows[i].cells[j].suppressed:
            continue
        edge, count = edges[index], raw[i][j]
        other_counts = []
        for low, high in ((edge.low, count - 1), (count + 1, edge.high)):
            trial = list(edges)
            trial[index] = Edge(edge.start, edge.end, low, high)
            other_counts.append(feasible(nodes, trial))
        assert any(other_counts), f"cell {(i, j)} = {count} is recoverable"
