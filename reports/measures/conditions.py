"""Counting by condition: the building block for measures whose rows are
conditions rather than the values of one field (within the clock / late /
not yet decided; "of which" rows; flags a row can meet several of).

Like ``common.by_category``, every table is one statement: the database
evaluates each condition as a filtered count, nothing is loaded row by row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from reports.context import ReportContext
from reports.measures.common import either_period, in_period
from reports.tables import Row, Table


@dataclass(frozen=True)
class Part:
    """One row of a ``by_condition`` table: its label, the condition a counted
    row meets, and whether it is one of the categories that add up to the
    total (``False`` for an "of which" row)."""

    label: str
    condition: Q
    in_total: bool = True


def condition_counts(
    queryset: QuerySet, cells: Mapping[str, Q], *, distinct: str | None = None
) -> dict[str, int]:
    """One statement counting, for each named condition, the rows of
    ``queryset`` that meet it (distinct values of ``distinct`` if given)."""
    counted = distinct or "pk"
    aggregates = {
        name: Count(counted, filter=condition, distinct=True) for name, condition in cells.items()
    }
    result = queryset.order_by().aggregate(**aggregates)
    return {name: result[name] or 0 for name in cells}


def by_condition(
    ctx: ReportContext,
    queryset: QuerySet,
    *,
    date_field: str,
    parts: Sequence[Part],
    key: str,
    title: str,
    row_heading: str,
    distinct: str | None = None,
    dates: bool = False,
    note: str = "",
    unit: str = "young people",
    percentages: bool = True,
    column_totals: bool = True,
) -> Table:
    """Counts of the rows meeting each part's condition, in this period and
    the previous, in one statement. Unlike ``by_category`` the parts need not
    be exclusive ("of which" rows, or conditions a row meets several of)."""
    cells: dict[str, Q] = {}
    for index, part in enumerate(parts):
        cells[f"now_{index}"] = part.condition & in_period(date_field, ctx, dates=dates)
        cells[f"before_{index}"] = part.condition & in_period(
            date_field, ctx, previous=True, dates=dates
        )
    counts = condition_counts(
        queryset.filter(either_period(date_field, ctx, dates=dates)), cells, distinct=distinct
    )
    return Table(
        key=key,
        title=title,
        row_heading=row_heading,
        columns=ctx.columns,
        rows=tuple(
            Row(
                part.label,
                (counts[f"now_{index}"], counts[f"before_{index}"]),
                in_total=part.in_total,
            )
            for index, part in enumerate(parts)
        ),
        note=note,
        unit=unit,
        percentages=percentages,
        column_totals=column_totals,
    )
