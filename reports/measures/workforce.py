"""Workforce: how loaded the workers on these areas' cases are, whether their
supervision is on time, and how often children's lead professional changes.

Workers are a distribution, never names: each table counts workers (or
children) in bands. Load and supervision are read as they stand on the day
the report is made, with the same expressions as the caseload and
supervision pages (``weighted_cases`` and ``capacity`` behind both
``worker_loads`` and ``workers_loads_sql``; ``with_supervision_due``), so a
report never disagrees with what a supervisor sees. Continuity is counted for each period's end.
One statement per table.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from cse_cases.models import Case, CaseMember, CaseStatus, LeadProfessionalSpell, User, YoungPerson
from cse_cases.working_days import LONDON
from reports.context import ReportContext
from reports.period import Period
from reports.tables import Row, Section, Table
from supervision.caseloads.selectors import current_scheme, workers_loads_sql
from supervision.sessions.selectors import supervised_workers, with_supervision_due

# Bands of load against capacity, as shares of capacity.
HALF = Decimal("0.5")
HIGH = Decimal("0.85")
CONTINUITY_MONTHS = 12


def _as_at(ctx: ReportContext) -> tuple[str, ...]:
    return (f"On {ctx.today:%-d %b %Y}",)


def _workers(ctx: ReportContext) -> QuerySet[User]:
    """Everyone who leads, or is in the team around the child for, an open
    case in the areas today."""
    open_here = Case.objects.filter(area_id__in=ctx.area_ids, status=CaseStatus.OPEN)
    member = CaseMember.objects.filter(
        user=OuterRef("pk"), removed_at__isnull=True, case__in=open_here
    )
    return User.objects.using(ctx.using).filter(
        Exists(open_here.filter(lead_professional=OuterRef("pk"))) | Exists(member)
    )


LOAD_BANDS = (
    ("under_half", "Under 50% of capacity"),
    ("half", "50% to 85% of capacity"),
    ("high", "85% to 100% of capacity"),
    ("over", "Over 100% of capacity"),
    ("no_capacity", "No capacity agreed"),
)

# Each band as a condition on (load, capacity), the bounds as parameters. A
# load exactly at capacity is in "85% to 100%", as the table's note says.
_BAND_SQL = (
    ("under_half", "capacity IS NOT NULL AND load < capacity * %s", (HALF,)),
    (
        "half",
        "capacity IS NOT NULL AND load >= capacity * %s AND load < capacity * %s",
        (HALF, HIGH),
    ),
    ("high", "capacity IS NOT NULL AND load >= capacity * %s AND load <= capacity", (HIGH,)),
    ("over", "capacity IS NOT NULL AND load > capacity", ()),
    ("no_capacity", "capacity IS NULL", ()),
)


def load_bands(ctx: ReportContext) -> dict[str, int]:
    """How many of the workers fall in each band, in one statement on the
    report's database: each open case is weighed once for the whole
    partnership (a worker's load is their whole caseload, wherever), then
    joined to the workers, rather than weighing each worker's cases again in
    a subquery per worker (issue 18: most of the report's time at scale)."""
    loads, params = workers_loads_sql(
        current_scheme(ctx.using), _workers(ctx), ctx.today, ctx.using
    )
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {where})" for _, where, _ in _BAND_SQL)
    bounds = [bound for _, _, band_bounds in _BAND_SQL for bound in band_bounds]
    with connections[ctx.using].cursor() as cursor:
        cursor.execute(
            f"SELECT {counts} FROM ({loads}) AS workers",  # noqa: S608 - fixed SQL, values as parameters
            [*bounds, *params],
        )
        found = cursor.fetchone()
    return {band: int(n) for (band, _, _), n in zip(_BAND_SQL, found, strict=True)}


def caseloads(ctx: ReportContext) -> Table:
    totals = load_bands(ctx)
    return Table(
        key="workforce.caseloads",
        title="Workers' weighted caseloads against their capacity",
        row_heading="Weighted caseload",
        columns=_as_at(ctx),
        rows=tuple(Row(label, (totals[value],)) for value, label in LOAD_BANDS),
        note=(
            "Workers who lead, or are in the team around the child for, an open case in these "
            "areas on the day the report was made (not at the period's end: caseloads are "
            "not kept day by day). Each worker's whole weighted caseload, under the current "
            "weighting scheme, against the capacity agreed with their supervisor for their "
            "hours. 85% to 100% includes a caseload exactly at capacity."
        ),
        unit="workers",
        percentages=True,
    )


SUPERVISION = (
    ("on_time", "Supervision on time"),
    ("overdue", "Supervision overdue"),
    ("none", "No supervision recorded"),
)


def supervision(ctx: ReportContext) -> Table:
    workers = with_supervision_due(
        supervised_workers().using(ctx.using).filter(pk__in=_workers(ctx).values("pk")),
        ctx.today,
    )
    held = Q(supervision_last__isnull=False)
    totals = workers.aggregate(
        on_time=Count("pk", filter=held & Q(supervision_next_due__gte=ctx.today)),
        overdue=Count("pk", filter=held & Q(supervision_next_due__lt=ctx.today)),
        none=Count("pk", filter=~held),
    )
    return Table(
        key="workforce.supervision",
        title="Workers' supervision",
        row_heading="Supervision",
        columns=_as_at(ctx),
        rows=tuple(Row(label, (totals[value],)) for value, label in SUPERVISION),
        note=(
            "Workers on open cases in these areas who have a supervisor, on the day the "
            "report was made. On time: their next session, at the frequency for their stage "
            "of practice, is not yet past due. No supervision recorded: no session in "
            "Harbour yet."
        ),
        unit="workers",
        percentages=True,
    )


CONTINUITY = (
    (0, "No change of lead professional"),
    (1, "1 change"),
    (2, "2 changes"),
    (3, "3 or more changes"),
)


def _window(period: Period) -> dict[str, Any]:
    """The 12 months to the period's end: cases open in them (by day) and
    takeovers started in them (by London time)."""
    since = datetime.combine(
        period.end_exclusive - relativedelta(months=CONTINUITY_MONTHS), time.min, tzinfo=LONDON
    )
    return {"end": period.end, "since_day": since.date(), "since": since, "end_at": period.end_at}


# Set-based: each case in the areas is read once and grouped by child, each
# takeover once (a spell with an earlier one on the same case), rather than
# four correlated subqueries per child that the ORM repeated inside every
# band's filter (issue 18).
_CONTINUITY_SQL = """
    WITH here AS (
        SELECT c.id, c.young_person_id, c.opened_on, c.closed_on
        FROM {case} AS c JOIN {person} AS yp ON yp.id = c.young_person_id
        WHERE c.area_id = ANY(%(areas)s) AND yp.merged_into_id IS NULL
    ),
    children AS (
        SELECT young_person_id AS id,
            bool_or(opened_on <= %(now_end)s
                    AND (closed_on IS NULL OR closed_on >= %(now_since_day)s)) AS in_now,
            bool_or(opened_on <= %(before_end)s
                    AND (closed_on IS NULL OR closed_on >= %(before_since_day)s)) AS in_before
        FROM here GROUP BY young_person_id
    ),
    takeovers AS (
        SELECT here.young_person_id AS id,
            COUNT(*) FILTER (WHERE s.started_at >= %(now_since)s
                             AND s.started_at < %(now_end_at)s) AS now,
            COUNT(*) FILTER (WHERE s.started_at >= %(before_since)s
                             AND s.started_at < %(before_end_at)s) AS before
        FROM here JOIN {spell} AS s ON s.case_id = here.id
        WHERE EXISTS (
            SELECT 1 FROM {spell} AS earlier
            WHERE earlier.case_id = s.case_id AND earlier.started_at < s.started_at
        )
        GROUP BY here.young_person_id
    ),
    counted AS (
        SELECT children.in_now, children.in_before,
            COALESCE(takeovers.now, 0) AS now, COALESCE(takeovers.before, 0) AS before
        FROM children LEFT JOIN takeovers ON takeovers.id = children.id
        WHERE children.in_now OR children.in_before
    )
    SELECT {bands} FROM counted
"""


def continuity_counts(ctx: ReportContext) -> dict[str, int]:
    """``{now|before}_{changes}``: children with a case here in the 12 months
    to each period's end, by changes of lead professional in them. One
    statement on the report's database."""
    most = CONTINUITY[-1][0]
    bands = [
        (name, changes, f"{name} {'>=' if changes == most else '='} {changes}")
        for name in ("now", "before")
        for changes, _ in CONTINUITY
    ]
    sql = _CONTINUITY_SQL.format(
        case=Case._meta.db_table,
        person=YoungPerson._meta.db_table,
        spell=LeadProfessionalSpell._meta.db_table,
        bands=", ".join(f"COUNT(*) FILTER (WHERE in_{name} AND {test})" for name, _, test in bands),
    )
    params: dict[str, Any] = {"areas": list(ctx.area_ids)}
    for name, period in (("now", ctx.period), ("before", ctx.previous)):
        params.update({f"{name}_{key}": value for key, value in _window(period).items()})
    with connections[ctx.using].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return {f"{name}_{changes}": int(n) for (name, changes, _), n in zip(bands, found, strict=True)}


def continuity(ctx: ReportContext) -> Table:
    totals = continuity_counts(ctx)
    return Table(
        key="workforce.continuity",
        title="Changes of lead professional",
        row_heading="In the 12 months to the period's end",
        columns=ctx.columns,
        rows=tuple(
            Row(label, (totals[f"now_{changes}"], totals[f"before_{changes}"]))
            for changes, label in CONTINUITY
        ),
        note=(
            "Children with a case in these areas open at some time in the 12 months to the "
            "end of each period, by how many times a new lead professional took over one of "
            "their cases in those months (a case's first lead professional is not a change). "
            "One consistent worker matters to children: fewer changes is better."
        ),
        percentages=True,
    )


def section(ctx: ReportContext) -> Section:
    return Section(
        key="workforce",
        title="Workforce",
        summary=(
            "How loaded the workers on these areas' cases are against their agreed capacity, "
            "whether their supervision is on time, and how often children's lead "
            "professional changes."
        ),
        tables=(caseloads(ctx), supervision(ctx), continuity(ctx)),
    )
