"""What a measure returns: raw counts in a table, before disclosure control.

A ``Table`` never leaves the worker that computes it. Every output (page, PDF,
CSV, API, the commissioner's home) renders the ``PublishedTable`` that
``reports.disclosure.publish_table`` makes of it, and only published tables are
stored, so an output cannot show a raw count by mistake.

Every cell is a count of people or events. Rates are not cells: a measure
that is a share ("decided within the clock") gives the counts it is made of
(within, late, not yet decided), and the disclosure layer computes the
percentage from the rounded figures, as DESIGN.md section 7 requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]
    # A row that is part of the breakdown (False for a sub-heading-like row
    # that is not one of the categories that add up to the total, e.g.
    # "of which: boys and young men under 12"); rows outside the breakdown
    # are not summed into totals and secondary suppression treats them as
    # their own line.
    in_total: bool = True


@dataclass(frozen=True)
class Table:
    # Unique in a report, e.g. "need.referrals_by_agency"; names the CSV and the API entry.
    key: str
    title: str
    row_heading: str  # e.g. "Referring agency"
    columns: tuple[str, ...]  # e.g. ("Jan to Mar 2027", "Oct to Dec 2026")
    rows: tuple[Row, ...]
    # Whether the published table shows a "Total" row summing each column
    # over the rows in the breakdown. Totals are computed from the raw counts
    # (then controlled like any cell), never by adding rounded figures.
    column_totals: bool = True
    # Whether the columns are parts of one whole (e.g. urgent / routine) so a
    # "Total" column summing each row makes sense. Columns that are periods
    # (this period, the previous one) are not summed.
    row_totals: bool = False
    # Shown under the table: what is counted, and how.
    note: str = ""
    # Percentages of the column total are shown beside each cell.
    percentages: bool = False
    # What a percentage is of: "column" (its column's total: the share of
    # referrals from each agency) or "row" (its row's total: the share of
    # young people whose ethnicity is recorded).
    percent_of: str = "column"
    chart: str = "bar"  # "bar", "line" (a trend by month) or "none"
    unit: str = "young people"  # what a cell counts, for the CSV and screen readers
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Estimate:
    """A money estimate made from a published count, labelled as an estimate.

    Publication multiplies the *published* (rounded) count in
    ``table_key``/``row_label``/first column by ``cost_per_young_person``
    (what the partnership spends on one young person's specialist support,
    a configurable unit cost) and by each return ratio; a suppressed count
    gives no estimate.
    """

    title: str
    table_key: str
    row_label: str
    cost_per_young_person: int  # pounds
    return_low: int  # pounds saved per pound invested, e.g. 6
    return_high: int  # e.g. 12
    source: str
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    key: str  # e.g. "need"
    title: str
    summary: str
    tables: tuple[Table, ...]
    estimates: tuple[Estimate, ...] = ()
