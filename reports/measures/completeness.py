"""Data completeness: for each field the reports break young people down by,
how many of the young people in the period have it recorded.

A report is only as good as what was recorded: a commissioner reading that
few young people are of some ethnicity needs to know how many were never
asked. Counted for the period (not the one before), on the records as they
stand when the report is made. One statement.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from cse_cases.models import Case, Ethnicity, Gender, RiskLevel, YoungPerson
from referrals.models import Referral
from reports.context import ReportContext
from reports.measures.common import in_period
from reports.tables import Row, Section, Table


def section(ctx: ReportContext) -> Section:
    return Section(
        key="completeness",
        title="Data completeness",
        summary=(
            "How many of the young people in these figures have each detail recorded. Where "
            "many are not known, the breakdowns by that detail say less."
        ),
        tables=(completeness(ctx),),
    )


def completeness(ctx: ReportContext) -> Table:
    period = ctx.period
    cases = Case.objects.filter(
        young_person=OuterRef("pk"), area_id__in=ctx.area_ids, opened_on__lte=period.end
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
    referred = Referral.objects.filter(
        young_person=OuterRef("pk"), area_id__in=ctx.area_ids
    ).filter(in_period("received_at", ctx))
    people = YoungPerson.objects.using(ctx.using).filter(
        Exists(cases) | Exists(referred), merged_into__isnull=True
    )
    # What "not known" is for each field, as a condition on the young person.
    not_known = {
        "ethnicity": Q(ethnicity__in=[Ethnicity.NOT_KNOWN, ""]),
        "disability": Q(disability_or_send=""),
        "model": ~Exists(cases.exclude(exploitation_models=[])),
        "risk": ~Exists(cases.exclude(risk_level=RiskLevel.NOT_ASSESSED)),
        "gender": Q(gender__in=[Gender.NOT_KNOWN, ""]),
        # Care status (legal status) has no "not known" answer: every record has one.
        "care": Q(pk__isnull=True),
    }
    totals = people.aggregate(
        everyone=Count("pk"),
        **{field: Count("pk", filter=condition) for field, condition in not_known.items()},
    )
    labels = (
        ("ethnicity", "Ethnicity"),
        ("disability", "Disability or special educational needs"),
        ("model", "Model of exploitation"),
        ("risk", "Risk level"),
        ("gender", "Gender"),
        ("care", "Care status"),
    )
    return Table(
        key="completeness.fields",
        title="Young people with each detail recorded",
        row_heading="Detail",
        columns=("Recorded", "Not known"),
        rows=tuple(
            Row(label, (totals["everyone"] - totals[field], totals[field]))
            for field, label in labels
        ),
        column_totals=False,
        row_totals=True,
        percentages=True,
        note=(
            f"Young people with a case in these areas open in {period.label}, or referred to "
            "these areas in it, as their records stand on the day the report was made. Not "
            "known: ethnicity or gender not known (a young person who prefers not to say has "
            "answered); nothing written about disability or special educational needs (which "
            "may also mean there are none); no model of exploitation, or no assessed risk "
            "level, on any of their cases open in the period (a young person only referred "
            "has none yet). Care status always has an answer on the record, so it cannot be "
            "shown as not known."
        ),
    )
