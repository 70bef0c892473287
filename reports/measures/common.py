"""Building blocks the section modules share.

``by_category`` is the commonest measure: one statement counting, for this
period and the previous one, the rows of a queryset in each category (the
database does the grouping; nothing is loaded row by row).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from reports.context import ReportContext
from reports.tables import Row, Table


def in_period(field: str, ctx: ReportContext, *, previous: bool = False, dates: bool = False) -> Q:
    """``field`` falls in the period (or the previous one). ``dates`` for a
    DateField, else a DateTimeField compared with the London-day bounds."""
    period = ctx.previous if previous else ctx.period
    if dates:
        return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})
    return Q(**{f"{field}__gte": period.start_at, f"{field}__lt": period.end_at})


def either_period(field: str, ctx: ReportContext, *, dates: bool = False) -> Q:
    return in_period(field, ctx, dates=dates) | in_period(field, ctx, previous=True, dates=dates)


def by_category(
    ctx: ReportContext,
    queryset: QuerySet,
    *,
    date_field: str,
    category: str,
    choices: Sequence[tuple[str, str]],
    key: str,
    title: str,
    row_heading: str,
    distinct: str | None = None,
    dates: bool = False,
    note: str = "",
    unit: str = "young people",
    percentages: bool = True,
) -> Table:
    """Counts by ``category`` (a field path) in this period and the previous.

    Every choice is a row, in the order given, whether or not it has any
    count (a row that disappears when it is zero tells a reader it is zero).
    A value outside ``choices`` is counted under the last choice, which must
    be the "not known" or "other" category.  ``distinct`` counts distinct
    values of that field (young people rather than referrals).
    """
    counted = distinct or "pk"
    rows = (
        queryset.filter(either_period(date_field, ctx, dates=dates))
        .values(category)
        .annotate(
            now=Count(counted, filter=in_period(date_field, ctx, dates=dates), distinct=True),
            before=Count(
                counted,
                filter=in_period(date_field, ctx, previous=True, dates=dates),
                distinct=True,
            ),
        )
        .order_by()
    )
    labels = dict(choices)
    fallback = choices[-1][0]
    counts: dict[str, list[int]] = {value: [0, 0] for value, _ in choices}
    for row in rows:
        value = row[category] if row[category] in labels else fallback
        counts[value][0] += row["now"]
        counts[value][1] += row["before"]
    return Table(
        key=key,
        title=title,
        row_heading=row_heading,
        columns=ctx.columns,
        rows=tuple(Row(labels[value], tuple(counts[value])) for value, _ in choices),
        note=note,
        unit=unit,
        percentages=percentages,
    )
