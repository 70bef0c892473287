"""Outcomes: how risk moved for young people with established cases, why cases
closed, and who came back within a year of a case closing.

Three tables, two statements each at most (one per column where a column
needs its own cut-off), whatever the number of cases.
"""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case as CaseWhen,
)
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from assessments.risk.models import Assessment, AssessmentStatus
from cse_cases.models import Case, ClosureCategory, RiskLevel, YoungPerson
from cse_cases.working_days import LONDON
from referrals.models import Referral
from reports.context import ReportContext
from reports.measures.common import by_category, in_period
from reports.period import Period
from reports.tables import Row, Section, Table

# A case counts towards the risk trajectory once it has been open this long by
# the period's end: sooner, two assessments a review apart are not expected.
ESTABLISHED_MONTHS = 6
# A referral this soon after a case closed counts as coming back.
RE_REFERRAL_MONTHS = 12

TRAJECTORIES = (
    ("reduced", "Risk reduced"),
    ("same", "Risk the same"),
    ("increased", "Risk increased"),
    ("not_enough", "Fewer than two signed-off assessments"),
)
# Merging a duplicate record ends no piece of work: it is not an outcome.
CLOSURES = tuple(
    (value, label) for value, label in ClosureCategory.choices if value != ClosureCategory.DUPLICATE
)


def _cases(ctx: ReportContext) -> QuerySet[Case]:
    return Case.objects.using(ctx.using).filter(area_id__in=ctx.area_ids)


def _rank() -> CaseWhen:
    """A judged level as a number, so "reduced" is a comparison in SQL."""
    return CaseWhen(
        When(judged_level=RiskLevel.LOW, then=Value(1)),
        When(judged_level=RiskLevel.MEDIUM, then=Value(2)),
        When(judged_level=RiskLevel.HIGH, then=Value(3)),
        output_field=IntegerField(),
    )


def _trajectory_counts(ctx: ReportContext, period: Period) -> list[int]:
    signed_off = Assessment.objects.filter(
        case=OuterRef("pk"),
        status=AssessmentStatus.SIGNED_OFF,
        signed_off_at__lt=period.end_at,
    ).annotate(rank=_rank())
    counted = signed_off.order_by().values("case").annotate(n=Count("pk")).values("n")
    rows = (
        _cases(ctx)
        .filter(opened_on__lte=period.end - relativedelta(months=ESTABLISHED_MONTHS))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .annotate(
            first=Subquery(
                signed_off.order_by("signed_off_at", "pk").values("rank")[:1],
                output_field=IntegerField(),
            ),
            latest=Subquery(
                signed_off.order_by("-signed_off_at", "-pk").values("rank")[:1],
                output_field=IntegerField(),
            ),
            assessed=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        )
    )
    enough = Q(assessed__gte=2)
    totals = rows.aggregate(
        reduced=Count("young_person", distinct=True, filter=enough & Q(latest__lt=F("first"))),
        same=Count("young_person", distinct=True, filter=enough & Q(latest=F("first"))),
        increased=Count("young_person", distinct=True, filter=enough & Q(latest__gt=F("first"))),
        not_enough=Count("young_person", distinct=True, filter=~enough),
    )
    return [totals[value] for value, _ in TRAJECTORIES]


def risk_trajectories(ctx: ReportContext) -> Table:
    counts = [_trajectory_counts(ctx, ctx.period), _trajectory_counts(ctx, ctx.previous)]
    return Table(
        key="outcomes.risk_trajectories",
        title="How risk changed for young people with established cases",
        row_heading="Risk level",
        columns=ctx.columns,
        rows=tuple(
            Row(label, (counts[0][i], counts[1][i])) for i, (_, label) in enumerate(TRAJECTORIES)
        ),
        note=(
            f"Young people whose case had been open at least {ESTABLISHED_MONTHS} months by the "
            "end of the period and was open at some time in it. The level judged at the first "
            "signed-off risk assessment is compared with the latest one signed off by the end "
            "of the period. Levels are indicative: a practitioner's judgement, not a prediction."
        ),
    )


def closures(ctx: ReportContext) -> Table:
    return by_category(
        ctx,
        _cases(ctx).exclude(closure_category=ClosureCategory.DUPLICATE),
        date_field="closed_on",
        dates=True,
        category="closure_category",
        choices=CLOSURES,
        key="outcomes.closures",
        title="Cases closed, and why",
        row_heading="Why the case closed",
        unit="cases",
        note=(
            "Cases closed in the period, by the category recorded when they closed. Cases "
            "closed before categories were recorded are counted as not recorded. A case "
            "closed because its record was merged with a duplicate is not counted."
        ),
    )


def months_before(day: Any, months: int) -> Func:
    """The date that many months before a date expression (PostgreSQL's
    month arithmetic: 31 March less one month is 28 or 29 February)."""
    return Func(
        day,
        template=f"((%(expressions)s) - interval '{int(months)} months')::date",
        output_field=DateField(),
    )


def _received_on() -> TruncDate:
    # The London day, as the period's own days are.
    return TruncDate("received_at", tzinfo=LONDON)


def re_referrals(ctx: ReportContext) -> Table:
    """Young people referred in the period, split by whether a case of theirs
    in the areas had closed in the year before the referral."""
    closed_before = (
        _cases(ctx)
        .filter(
            young_person=OuterRef("young_person"),
            closed_on__lte=OuterRef("received_on"),
            closed_on__gt=months_before(OuterRef("received_on"), RE_REFERRAL_MONTHS),
        )
        .exclude(closure_category=ClosureCategory.DUPLICATE)
    )
    referrals = (
        Referral.objects.filter(young_person=OuterRef("pk"), area_id__in=ctx.area_ids)
        .annotate(received_on=_received_on())
        .annotate(returned=Exists(closed_before))
    )

    def referred(previous: bool, returned: bool | None = None) -> Exists:
        chosen = referrals.filter(in_period("received_at", ctx, previous=previous))
        if returned is not None:
            chosen = chosen.filter(returned=returned)
        return Exists(chosen)

    people = YoungPerson.objects.using(ctx.using).filter(
        referred(False) | referred(True), merged_into__isnull=True
    )
    totals = people.aggregate(
        back_now=Count("pk", filter=Q(referred(False, True))),
        first_now=Count("pk", filter=Q(referred(False)) & ~Q(referred(False, True))),
        back_before=Count("pk", filter=Q(referred(True, True))),
        first_before=Count("pk", filter=Q(referred(True)) & ~Q(referred(True, True))),
    )
    return Table(
        key="outcomes.re_referrals",
        title="Young people referred again within a year of a case closing",
        row_heading="Young people referred",
        columns=ctx.columns,
        rows=(
            Row(
                f"Referred within {RE_REFERRAL_MONTHS} months after a case closed",
                (totals["back_now"], totals["back_before"]),
            ),
            Row("Other young people referred", (totals["first_now"], totals["first_before"])),
        ),
        note=(
            "Young people with a referral to these areas received in the period, counted once "
            "each: "
            f"those with a case in these areas that closed in the {RE_REFERRAL_MONTHS} months "
            "before one of those referrals, and the others (a first referral, or a longer "
            "gap). Referrals about someone not yet identified are not counted."
        ),
        percentages=True,
    )


def section(ctx: ReportContext) -> Section:
    return Section(
        key="outcomes",
        title="Outcomes",
        summary=(
            "How risk changed over time for young people with established cases, why cases "
            "closed, and how many young people were referred again soon after a case closed."
        ),
        tables=(risk_trajectories(ctx), closures(ctx), re_referrals(ctx)),
    )
