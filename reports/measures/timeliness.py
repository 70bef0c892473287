"""Timeliness: each clock of DESIGN.md section 5 that a report counts, with
"on time" meaning exactly what the drift engine's rule means by it.

- Referral decisions: the stored ``decision_due_at`` (set by intake from the
  area's nation's working days and bank holidays, reset on reopening), on
  time when decided at or before it (referrals.rules: overdue when due < now).
  District: the referral's ``area`` (its queue).
- Return interviews: due 72 hours after the return, exactly 72h00m00s still
  on time (cse_cases.rules: overdue when returned < now - 72h;
  ``ReturnInterview.on_time``: offered <= due). District: the young person's.
- Meeting records: the stored ``record_due_at`` (one working day after the
  meeting by the area's nation, assessments.rules). District: the meeting's.
- Assessment and plan reviews: due by the end of the review date (the
  rules flag them from the day after it); the review is the next assessment
  of the case started after sign-off (as assessments.rules reads it) or the
  plan's next version. District: the case's.

Everything is "as at" the start of ``ctx.today`` (midnight in London): a
decision, interview or review recorded on the report day itself is not yet
counted, so a report computed twice on one day gives the same answer.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery

from assessments.models import Assessment, AssessmentStatus, Meeting, MeetingStatus, PlanVersion
from cse_cases.drift import StartOf
from cse_cases.models import MissingEpisode
from cse_cases.models.missing import INTERVIEW_DUE_HOURS, InterviewOutcome
from cse_cases.working_days import LONDON
from referrals.models import Referral, Urgency
from reports.context import ReportContext
from reports.measures.common import either_period, in_period
from reports.measures.conditions import Part, by_condition, condition_counts
from reports.period import Period
from reports.tables import Row, Section, Table

URGENCIES = ((Urgency.URGENT, "Urgent"), (Urgency.ROUTINE, "Routine"))


def _as_at(ctx: ReportContext) -> datetime:
    return datetime.combine(ctx.today, time.min, tzinfo=LONDON)


def _done_parts(
    ctx: ReportContext,
    *,
    done_at: str,
    due: str,
    within: str,
    late: str,
    waiting_late: str,
    waiting: str,
) -> list[Part]:
    """Within / late / not done and past due / not done and not yet due, for
    a record done at ``done_at`` (empty when not done) and due at ``due``:
    done exactly at the due moment is on time."""
    as_at = _as_at(ctx)
    done = Q(**{f"{done_at}__lt": as_at})
    return [
        Part(within, done & Q(**{f"{done_at}__lte": F(due)})),
        Part(late, done & Q(**{f"{done_at}__gt": F(due)})),
        Part(waiting_late, ~done & Q(**{f"{due}__lt": as_at})),
        Part(waiting, ~done & Q(**{f"{due}__gte": as_at})),
    ]


def _referral_parts(ctx: ReportContext, period: Period) -> list[Part]:
    parts = _done_parts(
        ctx,
        done_at="decided_at",
        due="decision_due_at",
        within="Decided within the clock",
        late="Decided late",
        waiting_late="Not decided yet, past the clock",
        waiting="Not decided yet, clock still running",
    )
    parts.append(
        Part(
            "of which: decided after the period ended",
            Q(decided_at__gte=period.end_at, decided_at__lt=_as_at(ctx)),
            in_total=False,
        )
    )
    return parts


def referral_decisions(ctx: ReportContext) -> tuple[Table, Table]:
    """Urgent and routine as columns (one table per period), in one statement."""
    queryset = Referral.objects.using(ctx.using).filter(
        either_period("received_at", ctx), area_id__in=ctx.area_ids
    )
    periods = (("now", ctx.period, False), ("before", ctx.previous, True))
    cells: dict[str, Q] = {}
    parts_by_period = {}
    for name, period, previous in periods:
        parts = _referral_parts(ctx, period)
        parts_by_period[name] = parts
        received = in_period("received_at", ctx, previous=previous)
        for index, part in enumerate(parts):
            for urgency, _ in URGENCIES:
                cells[f"{name}_{index}_{urgency}"] = part.condition & received & Q(urgency=urgency)
    counts = condition_counts(queryset, cells)
    note = (
        "Referrals received in the period, by their urgency. Each is due by the clock "
        "the screening queue shows: urgent the same working day, routine one working day "
        "after receipt, by the bank holidays of the district's nation (a reopened referral "
        "has a new clock). Decisions made on the report day are not yet counted."
    )
    tables = []
    for name, period, _ in periods:
        rows = tuple(
            Row(
                part.label,
                tuple(counts[f"{name}_{index}_{urgency}"] for urgency, _ in URGENCIES),
                in_total=part.in_total,
            )
            for index, part in enumerate(parts_by_period[name])
        )
        suffix = "" if name == "now" else "_previous"
        tables.append(
            Table(
                key=f"timeliness.referral_decisions{suffix}",
                title=f"Referral decisions, {period.label}",
                row_heading="Decision",
                columns=tuple(label for _, label in URGENCIES),
                rows=rows,
                row_totals=True,
                percentages=True,
                unit="referrals",
                note=note,
            )
        )
    return tables[0], tables[1]


def _returns(ctx: ReportContext) -> QuerySet[MissingEpisode]:
    due = ExpressionWrapper(
        F("returned_at") + timedelta(hours=INTERVIEW_DUE_HOURS), output_field=DateTimeField()
    )
    # Annotated (a LEFT JOIN), so that a return with no interview is counted.
    return (
        MissingEpisode.objects.using(ctx.using)
        .filter(young_person__area_id__in=ctx.area_ids, returned_at__isnull=False)
        .annotate(
            interview_due=due,
            offered_at=F("return_interview__offered_at"),
            held_at=F("return_interview__held_at"),
            outcome=F("return_interview__outcome"),
        )
    )


def return_interviews_offered(ctx: ReportContext) -> Table:
    offered = Q(offered_at__lt=_as_at(ctx))
    return by_condition(
        ctx,
        _returns(ctx),
        date_field="returned_at",
        parts=(
            Part("Offered within 72 hours", offered & Q(offered_at__lte=F("interview_due"))),
            Part("Offered later", offered & Q(offered_at__gt=F("interview_due"))),
            Part("Not offered", ~offered | Q(offered_at__isnull=True)),
        ),
        key="timeliness.return_interviews_offered",
        title="Return interviews offered",
        row_heading="Return interview",
        unit="returns",
        note="Returns from a missing episode in the period. The interview is due 72 hours "
        "after the return (72 hours exactly is within).",
    )


def return_interviews_held(ctx: ReportContext) -> Table:
    held = Q(outcome=InterviewOutcome.HELD, held_at__lt=_as_at(ctx))
    within = held & Q(held_at__lte=F("interview_due"))
    later = held & Q(held_at__gt=F("interview_due"))
    return by_condition(
        ctx,
        _returns(ctx),
        date_field="returned_at",
        parts=(
            Part("Held within 72 hours", within),
            Part("Held later", later),
            Part("Not held", ~held | Q(outcome__isnull=True) | Q(held_at__isnull=True)),
        ),
        key="timeliness.return_interviews_held",
        title="Return interviews held",
        row_heading="Return interview",
        unit="returns",
        note='Returns from a missing episode in the period. "Not held" includes '
        "interviews offered but not taken up, and those not held by the report day.",
    )


def meeting_records(ctx: ReportContext) -> Table:
    return by_condition(
        ctx,
        Meeting.objects.using(ctx.using).filter(
            area_id__in=ctx.area_ids, status=MeetingStatus.HELD
        ),
        date_field="starts_at",
        parts=_done_parts(
            ctx,
            done_at="record_distributed_at",
            due="record_due_at",
            within="Distributed within one working day",
            late="Distributed later",
            waiting_late="Not distributed yet, past due",
            waiting="Not distributed yet, not yet due",
        ),
        key="timeliness.meeting_records",
        title="Meeting records distributed",
        row_heading="Meeting record",
        unit="meetings",
        note="Multi-agency meetings held in the period. The record is due one working day "
        "after the meeting, by the bank holidays of the district's nation.",
    )


def _review_parts(ctx: ReportContext, *, closed_on: str) -> tuple[Part, ...]:
    as_at = _as_at(ctx)
    reviewed = Q(reviewed_at__lt=as_at)
    closed_first = Q(**{f"{closed_on}__lte": F("review_date")})
    waiting = ~reviewed | Q(reviewed_at__isnull=True)
    return (
        Part("Reviewed on time", reviewed & Q(reviewed_at__lt=F("review_by"))),
        Part("Reviewed late", reviewed & Q(reviewed_at__gte=F("review_by"))),
        Part("Not reviewed: the case closed first", waiting & closed_first),
        Part(
            "Not reviewed yet, overdue",
            waiting & ~closed_first & Q(review_date__lt=ctx.today),
        ),
        Part(
            "Not reviewed yet, not yet due",
            waiting & ~closed_first & Q(review_date__gte=ctx.today),
        ),
    )


def assessment_reviews(ctx: ReportContext) -> Table:
    # The review of a signed-off assessment is the next assessment of the case
    # started after its sign-off (assessments.rules.assessment_review_overdue).
    newer = (
        Assessment.objects.using(ctx.using)
        .filter(case=OuterRef("case"), started_at__gt=OuterRef("signed_off_at"))
        .exclude(pk=OuterRef("pk"))
        .order_by("started_at")
        .values("started_at")[:1]
    )
    queryset = (
        Assessment.objects.using(ctx.using)
        .filter(case__area_id__in=ctx.area_ids, status=AssessmentStatus.SIGNED_OFF)
        .annotate(
            review_date=F("next_review_on"),
            review_by=StartOf("next_review_on", later="1 day"),
            reviewed_at=Subquery(newer, output_field=DateTimeField()),
        )
    )
    return by_condition(
        ctx,
        queryset,
        date_field="next_review_on",
        dates=True,
        parts=_review_parts(ctx, closed_on="case__closed_on"),
        key="timeliness.assessment_reviews",
        title="Risk assessments reviewed",
        row_heading="Assessment review",
        unit="assessments",
        note="Signed-off assessments whose review date (3 months, or 6 weeks at high risk) "
        "fell in the period. Reviewed means a new assessment was started, on or before the "
        "review date to be on time.",
    )


def plan_reviews(ctx: ReportContext) -> Table:
    # A plan review writes the plan's next version (assessments.plans.services).
    later_version = (
        PlanVersion.objects.using(ctx.using)
        .filter(plan=OuterRef("plan"), number__gt=OuterRef("number"))
        .order_by("number")
        .values("created_at")[:1]
    )
    queryset = (
        PlanVersion.objects.using(ctx.using)
        .filter(plan__case__area_id__in=ctx.area_ids)
        .annotate(
            review_date=F("review_on"),
            review_by=StartOf("review_on", later="1 day"),
            reviewed_at=Subquery(later_version, output_field=DateTimeField()),
        )
    )
    return by_condition(
        ctx,
        queryset,
        date_field="review_on",
        dates=True,
        parts=_review_parts(ctx, closed_on="plan__case__closed_on"),
        key="timeliness.plan_reviews",
        title="Plans reviewed",
        row_heading="Plan review",
        unit="plans",
        note="Plan versions whose review date fell in the period. Reviewed means the next "
        "version of the plan was written, on or before the review date to be on time.",
    )


def section(ctx: ReportContext) -> Section:
    decisions, decisions_before = referral_decisions(ctx)
    return Section(
        key="timeliness",
        title="Timeliness",
        summary="Whether referral decisions, return interviews, meeting records and reviews "
        "happened within their time limits.",
        tables=(
            decisions,
            decisions_before,
            return_interviews_offered(ctx),
            return_interviews_held(ctx),
            meeting_records(ctx),
            assessment_reviews(ctx),
            plan_reviews(ctx),
        ),
    )
