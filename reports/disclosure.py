"""Disclosure control: the one layer every number passes on its way to a commissioner.

DESIGN.md section 7 applies the NHS England rule for published health
statistics: a count of 1 to 7 could identify a child, so it is replaced by a
suppression mark; every other count is rounded to the nearest 5, so a small
change between two runs cannot be read off as one child; percentages are
computed from the rounded figures, so they reveal nothing the rounded figures
do not; and secondary suppression hides a second cell wherever a line (a row
or a column with a published total) would otherwise let the hidden one be
worked out by subtraction. The threshold may be raised, never lowered.

Zero is shown as 0. A published 0 tells the reader that nobody was counted,
which identifies nobody, and because it is exact it never helps to recover a
hidden cell either: a hidden cell is recovered from the *other* cells of its
line, and a 0 adds nothing to them. So a zero is never chosen for secondary
suppression (hiding it would hide a true "none" and protect nothing).

A column's total (the Total row) is never hidden to protect another cell.
The tables of one report share those totals (the months of the trend add up
to the referrals by agency; every breakdown of the young people referred has
the same total), so a total hidden in one table is still published in
another, and a reader who takes it from there recovers what the first table
hid (review finding). Secondary cells are chosen from the rest, and where no
choice can stop a hidden cell being worked out, every cell above the Total
row is withheld (``withheld``: known only to be above 0) and only the column
totals and the zeros are published. A total of 1 to 7 is still hidden as
small, in every table alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from reports.disclosure_audit import Layout, recoverable
from reports.published import (
    PublishedCell,
    PublishedEstimate,
    PublishedRow,
    PublishedSection,
    PublishedTable,
)
from reports.tables import Estimate, Section, Table

DEFAULT_THRESHOLD = 7
ROUNDING_BASE = 5
TOTAL = "Total"
SMALL = "small"
SECONDARY = "secondary"
WITHHELD = "withheld"


def threshold() -> int:
    """The largest count that is suppressed, from REPORTS_SUPPRESSION_THRESHOLD.

    Read here, with the NHS England default, rather than in the settings
    module; a value below the default would publish counts the rule forbids,
    so it stops the process at once instead of quietly using it.
    """
    value = getattr(settings, "REPORTS_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImproperlyConfigured(
            f"REPORTS_SUPPRESSION_THRESHOLD must be a whole number of at least "
            f"{DEFAULT_THRESHOLD}, not {value!r}."
        )
    if value < DEFAULT_THRESHOLD:
        raise ImproperlyConfigured(
            f"REPORTS_SUPPRESSION_THRESHOLD is {value}, but counts of 1 to "
            f"{DEFAULT_THRESHOLD} must always be suppressed (the NHS England rule for "
            f"published health statistics, DESIGN.md section 7): set it to "
            f"{DEFAULT_THRESHOLD} or more."
        )
    return value


def _checked(limit: int | None) -> int:
    if limit is None:
        return threshold()
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < DEFAULT_THRESHOLD:
        raise ValueError(
            f"The suppression threshold must be a whole number of at least "
            f"{DEFAULT_THRESHOLD}, not {limit!r}."
        )
    return limit


def rounded(count: int) -> int:
    """To the nearest multiple of 5, halves up (a count is whole, so 8 -> 10,
    12 -> 10, 13 -> 15; a half never occurs)."""
    return (count + ROUNDING_BASE // 2) // ROUNDING_BASE * ROUNDING_BASE


@dataclass
class _Grid:
    """The raw counts with their totals, and each cell's suppression so far.

    Row ``i`` and column ``j`` index the published layout: the table's rows
    then the Total row (when column totals are shown), its columns then the
    Total column (when row totals are shown).
    """

    raw: list[list[int]]
    marks: list[list[str]]
    in_total: list[bool]
    total_row: int | None
    total_column: int | None

    def lines(self) -> list[list[tuple[int, int]]]:
        """Every set of cells bound by a published total, total included.

        A column is a line only when the Total row is shown, over the rows in
        the breakdown; a row is a line only when the Total column is shown
        (every row, the Total row and rows outside the breakdown too: each of
        those has its own total). Without a published total nothing can be
        subtracted, so there is no line.
        """
        found: list[list[tuple[int, int]]] = []
        width = len(self.raw[0]) if self.raw else 0
        if self.total_row is not None:
            for j in range(width):
                cells = [(i, j) for i in range(self.total_row) if self.in_total[i]]
                found.append([*cells, (self.total_row, j)])
        if self.total_column is not None:
            found.extend([(i, j) for j in range(width)] for i in range(len(self.raw)))
        return found

    def is_total(self, cell: tuple[int, int]) -> bool:
        return cell[0] == self.total_row or cell[1] == self.total_column

    def secondary_order(self, cell: tuple[int, int]) -> tuple[int, bool, tuple[int, int]]:
        return (rounded(self.raw[cell[0]][cell[1]]), self.is_total(cell), cell)

    def suppress_secondary(self) -> None:
        """Hide a second cell in every line with exactly one hidden cell, until
        no line has one (hiding a cell can leave its *other* line with one).

        The cell hidden is the shown non-zero part with the smallest published
        figure, then the first in reading order: the least information lost,
        and the same choice on every run. It is chosen on published figures
        only, so the choice itself says nothing about raw counts. Never in the
        Total row (see the module's docstring). A line whose other parts are
        all 0 has no such cell and keeps its one hidden cell; the audit in
        ``suppress_until_safe`` decides whether more must go.
        """
        changed = True
        while changed:
            changed = False
            for line in self.lines():
                hidden = [cell for cell in line if self.marks[cell[0]][cell[1]]]
                if len(hidden) != 1:
                    continue
                shown = [cell for cell in line if self.may_hide(cell)]
                if not shown:
                    # Its other parts are 0, so the hidden one is its total
                    # (known only to the total's rounding, and never small:
                    # its total would be small too). Whether that gives
                    # anything away elsewhere is the audit's to say.
                    continue
                i, j = min(shown, key=self.secondary_order)
                self.marks[i][j] = SECONDARY
                changed = True

    def suppress_until_safe(self, limit: int) -> None:
        """Hide more until no hidden cell can be worked out exactly.

        Two hidden cells in a line can still give one away once a reader
        combines the rounding intervals with what each mark says (a small
        count is 1 to the threshold, a secondary one is above it): see
        ``reports.disclosure_audit``. Each round hides the next cell by the
        same order as above, from the lines of the first recoverable cell
        (or, if those have none left, from the whole table), so it ends.
        """
        while True:
            layout = Layout(
                raw=self.raw,
                marks=self.marks,
                in_total=self.in_total,
                total_row=self.total_row,
                total_column=self.total_column,
                limit=limit,
                rounded=[[rounded(count) for count in row] for row in self.raw],
            )
            exposed = recoverable(layout)
            if not exposed:
                return
            near = [cell for line in self.lines() if exposed[0] in line for cell in line]
            everywhere = [(i, j) for i, row in enumerate(self.raw) for j in range(len(row))]
            for pool in (near, everywhere):
                shown = [cell for cell in pool if self.may_hide(cell)]
                if shown:
                    i, j = min(shown, key=self.secondary_order)
                    self.marks[i][j] = SECONDARY
                    self.suppress_secondary()
                    break
            else:
                self.withhold_parts()
                return

    def withhold_parts(self) -> None:
        """Every non-zero cell above the Total row is withheld, those already
        hidden too: with the column totals and the zeros alone published, a
        withheld cell is known only to be above 0 (a "secondary" mark would
        still say above the threshold, which can pin a small one: 1 and 11
        under a threshold of 10, total 12 published as 10, so 11 to 12)."""
        for i, row in enumerate(self.raw):
            for j in range(len(row)):
                if i != self.total_row and self.raw[i][j] > 0:
                    self.marks[i][j] = WITHHELD

    def may_hide(self, cell: tuple[int, int]) -> bool:
        """A cell secondary suppression may choose: a shown cell that is not 0
        and not in the Total row (a row's own total, in the Total column, may
        be: the tables of a report share their column totals, not those).
        The Total row was made safe by itself first (``_safe_totals``)."""
        i, j = cell
        return not self.marks[i][j] and self.raw[i][j] > 0 and i != self.total_row


def _grid(table: Table, limit: int) -> _Grid:
    width = len(table.columns)
    raw = [list(row.values) for row in table.rows]
    for row in raw:
        if len(row) != width:
            raise ValueError(f"{table.key}: a row has {len(row)} values for {width} columns.")
    in_total = [row.in_total for row in table.rows]
    total_column = None
    if table.row_totals:
        total_column = width
        for values in raw:
            values.append(sum(values))
    total_row = None
    if table.column_totals:
        # From the raw counts: adding rounded figures would compound their errors.
        total_row = len(raw)
        summed = [row for row, counted in zip(raw, in_total, strict=True) if counted]
        full = width + (1 if total_column is not None else 0)
        raw.append([sum(row[j] for row in summed) for j in range(full)])
        in_total.append(False)
    marks = [[SMALL if 0 < value <= limit else "" for value in values] for values in raw]
    if total_row is not None and total_column is not None:
        marks[total_row] = _safe_totals(raw[total_row], marks[total_row], limit)
    grid = _Grid(raw, marks, in_total, total_row, total_column)
    grid.suppress_secondary()
    grid.suppress_until_safe(limit)
    return grid


def _safe_totals(totals: list[int], marks: list[str], limit: int) -> list[str]:
    """The Total row's own line (the column totals and the grand total),
    protected as a table of one row with nothing else: from the totals alone,
    so every table that shares them hides the same ones. Four columns of 7
    under a grand total of 28, published as 30 (28 to 32), would otherwise
    give every 7 away."""
    width = len(totals) - 1
    alone = _Grid([list(totals)], [list(marks)], [True], None, width)
    alone.suppress_secondary()
    alone.suppress_until_safe(limit)
    return alone.marks[0]


def _percent(part: int, whole: int) -> float:
    share = Decimal(part * 100) / Decimal(whole)
    return float(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _wholes(grid: _Grid, values: list[list[int | None]]) -> list[int | None]:
    """What each column's percentages are of: its published Total, or without a
    Total row the sum of its published breakdown cells, from rounded figures
    either way. None (no percentages in that column) when that whole is
    hidden, zero, or, without a Total row, would leave out a hidden cell: a
    share of an incomplete sum would mislead, and a share of a whole nobody
    may see would let the reader work that whole out.
    """
    width = len(values[0]) if values else 0
    if grid.total_row is not None:
        return [values[grid.total_row][j] or None for j in range(width)]
    wholes: list[int | None] = []
    for j in range(width):
        parts = [values[i][j] for i in range(len(values)) if grid.in_total[i]]
        complete = [part for part in parts if part is not None]
        whole = sum(complete)
        wholes.append(whole if whole and len(complete) == len(parts) else None)
    return wholes


def _row_wholes(grid: _Grid, values: list[list[int | None]]) -> list[int | None]:
    """For shares of a row: its published Total column, or without one the sum
    of its published cells, None when any is hidden (as ``_wholes``)."""
    wholes: list[int | None] = []
    for row in values:
        if grid.total_column is not None:
            wholes.append(row[grid.total_column] or None)
            continue
        complete = [value for value in row if value is not None]
        whole = sum(complete)
        wholes.append(whole if whole and len(complete) == len(row) else None)
    return wholes


def publish_table(table: Table, *, threshold: int | None = None) -> PublishedTable:
    """The table as a commissioner may see it (DESIGN.md section 7).

    ``threshold`` overrides the setting for this call, never below the
    default. The Total row and column are computed from the raw counts over
    the rows in the breakdown, then controlled like any other cell, so a
    small total is hidden too. With ``table.percentages`` each shown cell
    (rows outside the breakdown included) gets its share of its column's
    whole (see ``_wholes``); the Total row gets none, being the whole itself.
    """
    limit = _checked(threshold)
    grid = _grid(table, limit)
    values: list[list[int | None]] = [
        [None if mark else rounded(value) for value, mark in zip(raw, marks, strict=True)]
        for raw, marks in zip(grid.raw, grid.marks, strict=True)
    ]
    by_row = table.percent_of == "row"
    wholes: list[int | None] = []
    if table.percentages:
        wholes = _row_wholes(grid, values) if by_row else _wholes(grid, values)
    published_rows: list[PublishedRow] = []
    labels = [row.label for row in table.rows] + ([TOTAL] if grid.total_row is not None else [])
    for i, label in enumerate(labels):
        cells = []
        for j, value in enumerate(values[i]):
            whole = (wholes[i] if by_row else wholes[j]) if wholes else None
            share = None
            # The whole itself (the Total row, or the Total column when the
            # shares are of rows) gets no percentage.
            is_whole = j == grid.total_column if by_row else i == grid.total_row
            if value is not None and whole is not None and not is_whole:
                share = _percent(value, whole)
            cells.append(PublishedCell(value=value, suppressed=grid.marks[i][j], percent=share))
        published_rows.append(
            PublishedRow(
                label=label,
                cells=tuple(cells),
                is_total=i == grid.total_row,
                in_total=grid.in_total[i] if i != grid.total_row else True,
            )
        )
    columns = table.columns + ((TOTAL,) if grid.total_column is not None else ())
    return PublishedTable(
        key=table.key,
        title=table.title,
        row_heading=table.row_heading,
        columns=columns,
        rows=tuple(published_rows),
        note=table.note,
        chart=table.chart,
        unit=table.unit,
        percentages=table.percentages,
    )


def publish_estimate(estimate: Estimate, tables: dict[str, PublishedTable]) -> PublishedEstimate:
    """An estimate from the *published* count (so it never carries a count the
    reader may not see); none when that count is hidden. A missing table or
    row is a wiring mistake in the measure and fails loudly."""
    table = tables.get(estimate.table_key)
    if table is None:
        raise ValueError(f"Estimate {estimate.title!r}: no table {estimate.table_key!r}.")
    row = next((row for row in table.rows if row.label == estimate.row_label), None)
    if row is None:
        raise ValueError(
            f"Estimate {estimate.title!r}: no row {estimate.row_label!r} in {table.key!r}."
        )
    count = row.cells[0].value if not row.cells[0].suppressed else None
    low = high = None
    if count is not None:
        low = count * estimate.cost_per_young_person * estimate.return_low
        high = count * estimate.cost_per_young_person * estimate.return_high
    return PublishedEstimate(
        title=estimate.title,
        count=count,
        cost_per_young_person=estimate.cost_per_young_person,
        return_low=estimate.return_low,
        return_high=estimate.return_high,
        saving_low=low,
        saving_high=high,
        source=estimate.source,
        assumptions=estimate.assumptions,
    )


def publish_section(section: Section, *, threshold: int | None = None) -> PublishedSection:
    """Every table of the section, and its estimates, through disclosure control."""
    limit = _checked(threshold)
    tables = tuple(publish_table(table, threshold=limit) for table in section.tables)
    by_key = {table.key: table for table in tables}
    return PublishedSection(
        key=section.key,
        title=section.title,
        summary=section.summary,
        tables=tables,
        estimates=tuple(publish_estimate(estimate, by_key) for estimate in section.estimates),
    )
