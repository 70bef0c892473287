"""The time rules of meetings, plans and actions (DESIGN.md section 5), as
set-based querysets for the drift engine to raise and resolve flags from.

Each returns the subjects that are drifting now; none loops over rows.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from assessments.models import (
    STRATEGY_KINDS,
    Action,
    ActionStatus,
    Meeting,
    MeetingStatus,
    MeetingSubject,
    PlanVersion,
)
from cse_cases.models import CaseStatus, Nation, RiskLevel, RiskLevelChange
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
