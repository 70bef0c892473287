"""Tidy CSV of published report tables: one line per published cell.

Only ``reports.published`` tables are written, so every number has already
passed disclosure control (DESIGN.md section 7). The file is "tidy" (one
observation a line, the same columns for every table) so a commissioner's
analyst can filter and pivot it without reshaping.

Estimates have other columns (a count, a unit cost, two ratios, two savings,
a source and assumptions), so they are a second file of their own,
``estimates_rows``, rather than squeezed into the cell columns.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and
some take a leading tab or carriage return the same way) as a formula, so
every text value is prefixed with a single quote when it starts with one
(OWASP's CSV injection guidance). Numbers are written as numbers: they are
counts, percentages and pounds, never negative. NUL bytes are dropped,
because some readers stop at them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from reports.published import PublishedSection, PublishedTable

HEADER = ("section", "table", "row", "column", "value", "suppressed", "percent", "unit")
ESTIMATES_HEADER = (
    "section",
    "estimate",
    "count",
    "cost_per_young_person",
    "return_low",
    "return_high",
    "saving_low",
    "saving_high",
    "source",
    "assumptions",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a file without one as a legacy code page and garbles "£".
BYTE_ORDER_MARK = "\ufeff"

Value = str | int | float


def neutralised(text: str) -> str:
    """Text a spreadsheet shows as text, never runs."""
    text = text.replace("\x00", "")
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _line(values: Iterable[Value | None]) -> list[Value]:
    return [
        neutralised(value) if isinstance(value, str) else ("" if value is None else value)
        for value in values
    ]


def rows(published: PublishedSection | Iterable[PublishedTable]) -> Iterator[list[Value]]:
    """The header, then one line per cell of each table, Total row and column
    included; a hidden cell has an empty value and says why it is hidden."""
    if isinstance(published, PublishedSection):
        section, tables = published.key, tuple(published.tables)
    else:
        section, tables = "", tuple(published)
    yield list(HEADER)
    for table in tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                yield _line(
                    (
                        section,
                        table.key,
                        row.label,
                        column,
                        None if cell.suppressed else cell.value,
                        cell.suppressed,
                        cell.percent,
                        table.unit,
                    )
                )


def estimates_rows(section: PublishedSection) -> Iterator[list[Value]]:
    """The header, then one line per estimate; an estimate from a hidden count
    has empty count and savings. Assumptions are joined with "; "."""
    yield list(ESTIMATES_HEADER)
    for estimate in section.estimates:
        yield _line(
            (
                section.key,
                estimate.title,
                estimate.count,
                estimate.cost_per_young_person,
                estimate.return_low,
                estimate.return_high,
                estimate.saving_low,
                estimate.saving_high,
                estimate.source,
                "; ".join(estimate.assumptions),
            )
        )


class _Echo:
    """A file whose write hands the text back, so csv.writer can format one
    line at a time for a StreamingHttpResponse (Django's documented pattern)."""

    def write(self, text: str) -> str:
        return text


def stream(lines: Iterable[Sequence[Value]], *, byte_order_mark: bool = True) -> Iterator[bytes]:
    """UTF-8 lines of ``rows(...)`` or ``estimates_rows(...)``, one at a time,
    for ``StreamingHttpResponse(stream(rows(section)), content_type="text/csv")``."""
    writer = csv.writer(_Echo())
    first = True
    for line in lines:
        text = writer.writerow(_line(line))
        if first and byte_order_mark:
            text = BYTE_ORDER_MARK + text
        first = False
        yield text.encode("utf-8")
