"""The profile's tables as read inside the partnership: exact counts.

CSE leads and police read the profile to act on it, so its counts are not
rounded or hidden. It is rendered by the report templates, which show
``PublishedTable``s; this makes one with the raw counts (totals and
percentages from the same raw counts). When the profile is read beyond CSE
leads and police, reports.disclosure.publish_section is used instead.
"""

from __future__ import annotations

from reports.disclosure import TOTAL
from reports.published import PublishedCell, PublishedRow, PublishedSection, PublishedTable
from reports.tables import Section, Table


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def exact_table(table: Table) -> PublishedTable:
    values = [list(row.values) for row in table.rows]
    labels = [row.label for row in table.rows]
    in_total = [row.in_total for row in table.rows]
    columns = table.columns
    if table.row_totals:
        for line in values:
            line.append(sum(line))
        columns = (*columns, TOTAL)
    # A column's whole: the rows in the breakdown (not the "of which" rows).
    wholes = [
        sum(line[j] for line, counted in zip(values, in_total, strict=True) if counted)
        for j in range(len(columns))
    ]
    total_row = None
    if table.column_totals:
        total_row = len(values)
        values.append(list(wholes))
        labels.append(TOTAL)
        in_total.append(True)
    rows = []
    for i, line in enumerate(values):
        cells = []
        for j, value in enumerate(line):
            share = None
            if table.percentages and table.percent_of == "row":
                is_whole = table.row_totals and j == len(line) - 1
                share = (
                    None
                    if is_whole
                    else _percent(value, line[-1] if table.row_totals else sum(line))
                )
            elif table.percentages and i != total_row:
                share = _percent(value, wholes[j])
            cells.append(PublishedCell(value=value, percent=share))
        rows.append(
            PublishedRow(
                label=labels[i], cells=tuple(cells), is_total=i == total_row, in_total=in_total[i]
            )
        )
    return PublishedTable(
        key=table.key,
        title=table.title,
        row_heading=table.row_heading,
        columns=columns,
        rows=tuple(rows),
        note=table.note,
        chart=table.chart,
        unit=table.unit,
        percentages=table.percentages,
    )


def exact_section(section: Section) -> PublishedSection:
    return PublishedSection(
        key=section.key,
        title=section.title,
        summary=section.summary,
        tables=tuple(exact_table(table) for table in section.tables),
    )
