"""Workforce: how loaded the workers on these areas' cases are, whether their
supervision is on time, and how often children's lead professional changes.

Workers are a distribution, never names: each table counts workers (or
children) in bands. Load and supervision are read as they stand on the day
the report is made, with the same SQL as the caseload and supervision pages
(``worker_loads``, ``with_supervision_due``), so a report never disagrees
with what a supervisor sees. Continuity is counted for each period's end.
One statement per table.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from cse_cases.models import Case, CaseMember, CaseStatus, LeadProfessionalSpell, User, YoungPerson
from cse_cases.working_days import LONDON
from reports.context import ReportContext
from reports.period import Period
from reports.tables import Row, Section, Table
from supervision.caseloads.selectors import POINTS, current_scheme, worker_loads
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


def _share(of: Decimal) -> ExpressionWrapper:
    return ExpressionWrapper(F("capacity") * Value(of, output_field=POINTS), output_field=POINTS)


LOAD_BANDS = (
    ("under_half", "Under 50% of capacity"),
    ("half", "50% to 85% of capacity"),
    ("high", "85% to 100% of capacity"),
    ("over", "Over 100% of capacity"),
    ("no_capacity", "No capacity agreed"),
)


def caseloads(ctx: ReportContext) -> Table:
    now = datetime.combine(ctx.today + timedelta(days=1), time.min, tzinfo=LONDON)
    loads = worker_loads(current_scheme(ctx.using), _workers(ctx), ctx.today, now)
    capacity = Q(capacity__isnull=False)
    totals = loads.aggregate(
        under_half=Count("pk", filter=capacity & Q(load__lt=_share(HALF))),
        half=Count("pk", filter=capacity & Q(load__gte=_share(HALF), load__lt=_share(HIGH))),
        high=Count("pk", filter=capacity & Q(load__gte=_share(HIGH), load__lte=F("capacity"))),
        over=Count("pk", filter=capacity & Q(load__gt=F("capacity"))),
        no_capacity=Count("pk", filter=~capacity),
    )
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


def _continuity_columns(ctx: ReportContext, period: Period, name: str) -> dict[str, object]:
    """For one period: whether the child had a case here in the 12 months to
    its end, and how many times a lead professional took over in them."""
    since = datetime.combine(
        period.end_exclusive - relativedelta(months=CONTINUITY_MONTHS), time.min, tzinfo=LONDON
    )
    cases = Case.objects.filter(
        young_person=OuterRef("pk"), area_id__in=ctx.area_ids, opened_on__lte=period.end
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=since.date()))
    earlier = LeadProfessionalSpell.objects.filter(
        case=OuterRef("case"), started_at__lt=OuterRef("started_at")
    )
    changes = (
        LeadProfessionalSpell.objects.filter(
            case__young_person=OuterRef("pk"),
            case__area_id__in=ctx.area_ids,
            started_at__gte=since,
            started_at__lt=period.end_at,
        )
        .filter(Exists(earlier))
        .order_by()
        .values("case__young_person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        f"in_{name}": Exists(cases),
        f"changes_{name}": Coalesce(Subquery(changes, output_field=IntegerField()), 0),
    }


def continuity(ctx: ReportContext) -> Table:
    people = (
        YoungPerson.objects.using(ctx.using)
        .filter(merged_into__isnull=True)
        .annotate(
            **_continuity_columns(ctx, ctx.period, "now"),
            **_continuity_columns(ctx, ctx.previous, "before"),
        )
        .filter(Q(in_now=True) | Q(in_before=True))
    )

    def band(name: str, changes: int) -> Q:
        counted = Q(**{f"in_{name}": True})
        if changes == CONTINUITY[-1][0]:
            return counted & Q(**{f"changes_{name}__gte": changes})
        return counted & Q(**{f"changes_{name}": changes})

    totals = people.aggregate(
        **{
            f"{name}_{changes}": Count("pk", filter=band(name, changes))
            for name in ("now", "before")
            for changes, _ in CONTINUITY
        }
    )
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
