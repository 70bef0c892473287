"""Value: how many young people specialist services supported, and what that
support may return, as an estimate from the research, never a measurement.

A young person counts as supported in a period when a case of theirs in the
areas was open on any day of it (opened on or before its last day, and not
closed before its first): a case that opened or closed part-way through was
still support given in the period. One statement.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q

from cse_cases.models import Case
from reports.context import ReportContext
from reports.period import Period
from reports.tables import Estimate, Row, Section, Table

# What one young person's specialist support costs the partnership, in pounds,
# when it has not set its own (REPORTS_COST_PER_YOUNG_PERSON). A placeholder
# to be replaced by the partnership's own figure, not a figure from the
# research: the estimate says which one it used.
DEFAULT_COST_PER_YOUNG_PERSON = 3_000
# The research's range: pounds returned for every pound invested.
RETURN_LOW = 6
RETURN_HIGH = 12

SUPPORTED = "Young people supported by specialist services"
SOURCE = (
    "The commissioning research cited in Harbour's design: specialist CSE services return "
    f"an estimated £{RETURN_LOW} to £{RETURN_HIGH} for every £1 invested, depending on the "
    "model of service."
)


def _open_in(period: Period) -> Q:
    return Q(opened_on__lte=period.end) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )


def supported(ctx: ReportContext) -> Table:
    cases = Case.objects.using(ctx.using).filter(area_id__in=ctx.area_ids)
    totals = cases.aggregate(
        now=Count("young_person", distinct=True, filter=_open_in(ctx.period)),
        before=Count("young_person", distinct=True, filter=_open_in(ctx.previous)),
    )
    return Table(
        key="value.supported",
        title=SUPPORTED,
        row_heading="Support",
        columns=ctx.columns,
        rows=(Row(SUPPORTED, (totals["now"], totals["before"])),),
        column_totals=False,
        note=(
            "Young people with a case in these areas open on at least one day of the period, "
            "each counted once however many cases they had."
        ),
    )


def cost_per_young_person() -> tuple[int, bool]:
    """The unit cost in pounds, and whether it is the partnership's own."""
    cost = getattr(settings, "REPORTS_COST_PER_YOUNG_PERSON", None)
    if cost is None:
        return DEFAULT_COST_PER_YOUNG_PERSON, False
    return int(cost), True


def estimate() -> Estimate:
    cost, own = cost_per_young_person()
    costed = (
        f"Each young person's specialist support is costed at £{cost:,}, the partnership's "
        "own unit cost."
        if own
        else f"Each young person's specialist support is costed at £{cost:,}: Harbour's "
        "placeholder, because the partnership has not set its own unit cost."
    )
    return Estimate(
        title="Estimated return on the investment in specialist support (an estimate)",
        table_key="value.supported",
        row_label=SUPPORTED,
        cost_per_young_person=cost,
        return_low=RETURN_LOW,
        return_high=RETURN_HIGH,
        source=SOURCE,
        assumptions=(
            "This is an estimate made from research, not a measurement of these services.",
            costed,
            "The published (rounded) number of young people supported in the period is "
            "multiplied by the unit cost and by each end of the research's range.",
            "The return depends on the model of service and on outcomes that Harbour does "
            "not measure; where services differ from those studied, so may the return.",
        ),
    )


def section(ctx: ReportContext) -> Section:
    return Section(
        key="value",
        title="Value",
        summary=(
            "How many young people specialist services supported, with an estimate of the "
            "return on that investment drawn from research. The return is an estimate, not "
            "a measurement."
        ),
        tables=(supported(ctx),),
        estimates=(estimate(),),
    )
