"""The time rules of assessments, meetings, plans and actions (DESIGN.md
section 5), as set-based querysets for the drift engine to raise and resolve
flags from, and the rules themselves, registered from AssessmentsConfig.ready().

Each returns the subjects that are drifting now; none loops over rows.
"""

from __future__ import annotations

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from assessments.models import (
    STRATEGY_KINDS,
    Action,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Meeting,
    MeetingStatus,
    MeetingSubject,
    PlanVersion,
)
from cse_cases import drift
from cse_cases.drift import (
    OPEN_CASE_HIGH,
    Rule,
    StartOf,
    constant,
    holds,
    no_id,
    start_of,
    with_open_case,
)
from cse_cases.models import Case, CaseStatus, Nation, RiskLevel, RiskLevelChange
from cse_cases.working_days import latest_start_due_by

# A high-risk decision needs a strategy meeting within this many working days.
STRATEGY_MEETING_WORKING_DAYS = 10


def records_not_distributed(now: datetime) -> QuerySet[Meeting]:
    """Held meetings whose record was not sent one working day after them."""
    return Meeting.objects.filter(
        status=MeetingStatus.HELD, record_distributed_at__isnull=True, record_due_at__lt=now
    )


def plan_reviews_overdue(today: date) -> QuerySet[PlanVersion]:
    """Current plan versions of open cases whose review date has passed."""
    return PlanVersion.objects.filter(
        is_current=True, review_on__lt=today, plan__case__status=CaseStatus.OPEN
    )


def actions_overdue(today: date) -> QuerySet[Action]:
    return Action.objects.filter(status=ActionStatus.OPEN, due_on__lt=today)


def high_risk_without_strategy_meeting(now: datetime) -> QuerySet[RiskLevelChange]:
    """The latest decision that an open case is high risk, made more than 10
    working days ago (by the case's nation), with no strategy discussion or CSE
    strategy meeting about the young person since."""
    started_by = Q()
    for nation in Nation.values:
        cutoff = latest_start_due_by(now, STRATEGY_MEETING_WORKING_DAYS, nation)
        started_by |= Q(case__area__nation=nation, decided_at__lte=cutoff)
    later = RiskLevelChange.objects.filter(
        case=OuterRef("case"), decided_at__gt=OuterRef("decided_at")
    )
    meeting = MeetingSubject.objects.filter(
        young_person=OuterRef("case__young_person"),
        meeting__kind__in=STRATEGY_KINDS,
        meeting__starts_at__gte=OuterRef("decided_at"),
        meeting__starts_at__lte=now,
    ).exclude(meeting__status=MeetingStatus.CANCELLED)
    return (
        RiskLevelChange.objects.filter(
            started_by,
            level=RiskLevel.HIGH,
            case__status=CaseStatus.OPEN,
            case__risk_level=RiskLevel.HIGH,
        )
        .exclude(Exists(later))
        .exclude(Exists(meeting))
    )


# --- The drift engine's rules: the subjects above, in the engine's columns ------------


def assessment_review_overdue(now: datetime) -> QuerySet:
    """The latest signed-off assessment of an open case, past its review date,
    with no assessment started since."""
    newer = Assessment.objects.filter(
        case=OuterRef("case"), started_at__gt=OuterRef("signed_off_at")
    ).exclude(pk=OuterRef("pk"))
    return (
        Assessment.objects.filter(
            status=AssessmentStatus.SIGNED_OFF,
            next_review_on__lt=timezone.localdate(now),
            case__status=CaseStatus.OPEN,
        )
        .exclude(Exists(newer))
        .values(
            f_subject=F("case_id"),
            f_young_person=F("case__young_person_id"),
            f_area=F("case__area_id"),
            f_owner=F("case__lead_professional_id"),
            f_due=start_of("next_review_on"),
            f_high=holds(Q(case__risk_level=RiskLevel.HIGH)),
        )
    )


def turning_18_without_transition_plan(now: datetime) -> QuerySet:
    """At 17 years 6 months, an open case needs a current plan with its
    transition to adult services written."""
    cutoff = timezone.localdate(now) - relativedelta(years=17, months=6)
    planned = PlanVersion.objects.filter(plan__case=OuterRef("pk"), is_current=True).exclude(
        transition=""
    )
    return (
        Case.objects.filter(status=CaseStatus.OPEN, young_person__date_of_birth__lte=cutoff)
        .exclude(Exists(planned))
        .values(
            f_subject=F("pk"),
            f_young_person=F("young_person_id"),
            f_area=F("area_id"),
            f_owner=F("lead_professional_id"),
            f_due=StartOf("young_person__date_of_birth", later="17 years 6 months"),
            f_high=holds(Q(risk_level=RiskLevel.HIGH)),
        )
    )


def meeting_record_not_distributed(now: datetime) -> QuerySet:
    """A held meeting whose record was not sent one working day after it."""
    return records_not_distributed(now).values(
        f_subject=F("pk"),
        f_young_person=no_id(),
        f_area=F("area_id"),
        f_owner=F("chair_id"),
        f_due=F("record_due_at"),
        f_high=constant(False),
    )


def plan_review_overdue(now: datetime) -> QuerySet:
    """The current plan of an open case, past its review date (subject: the plan)."""
    return plan_reviews_overdue(timezone.localdate(now)).values(
        f_subject=F("plan_id"),
        f_young_person=F("plan__case__young_person_id"),
        f_area=F("plan__case__area_id"),
        f_owner=F("plan__case__lead_professional_id"),
        f_due=start_of("review_on"),
        f_high=holds(Q(plan__case__risk_level=RiskLevel.HIGH)),
    )


def action_overdue(now: datetime) -> QuerySet:
    return with_open_case(actions_overdue(timezone.localdate(now))).values(
        f_subject=F("pk"),
        f_young_person=F("young_person_id"),
        f_area=F("young_person__area_id"),
        f_owner=F("owner_id"),
        f_due=start_of("due_on"),
        f_high=OPEN_CASE_HIGH,
    )


def strategy_meeting_overdue(now: datetime) -> QuerySet:
    """High risk decided more than 10 working days ago, with no strategy
    meeting since (subject: the case)."""
    return high_risk_without_strategy_meeting(now).values(
        f_subject=F("case_id"),
        f_young_person=F("case__young_person_id"),
        f_area=F("case__area_id"),
        f_owner=F("case__lead_professional_id"),
        f_due=F("decided_at"),
        f_high=constant(True),
    )


# `order` keeps the sweep's order from before each app registered its own
# (cse_cases/drift.py).
RULES = (
    Rule(
        "assessment_review",
        "Assessment review overdue",
        "case",
        assessment_review_overdue,
        order=40,
    ),
    Rule(
        "turning_18",
        "Turning 18: transition plan needed",
        "case",
        turning_18_without_transition_plan,
        order=50,
    ),
    Rule(
        "meeting_record",
        "Meeting record not distributed",
        "meeting",
        meeting_record_not_distributed,
        "meeting",
        order=70,
    ),
    Rule("plan_review", "Plan review overdue", "plan", plan_review_overdue, order=80),
    Rule("action", "Action overdue", "action", action_overdue, "action", order=90),
    Rule(
        "strategy_meeting",
        "High risk: strategy meeting not held",
        "case",
        strategy_meeting_overdue,
        order=100,
    ),
)


def register() -> None:
    for rule in RULES:
        drift.register(rule)
