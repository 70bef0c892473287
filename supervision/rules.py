"""The time rules of DESIGN.md section 5, registered with the drift engine.

Each is a queryset of the subjects drifting at `now`, with the engine's six
columns: the subject's id, the young person, the district, the owner (who
must act), when it fell due, and whether the young person is at high risk.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    BigIntegerField,
    BooleanField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone
from django.utils.functional import lazy

from assessments import rules as meeting_rules
from assessments.models import Assessment, AssessmentStatus, PlanVersion
from cse_cases.models import (
    Case,
    CaseStatus,
    MissingEpisode,
    MissingReviewRequest,
    ReturnInterview,
    RiskLevel,
)
from cse_cases.models.missing import INTERVIEW_DUE_HOURS
from referrals.models import AWAITING_DECISION, Referral
from supervision.engine import Rule, register


def _with_open_case(queryset: QuerySet) -> QuerySet:
    """The young person's open case (at most one), as a LEFT JOIN the planner
    can place after the rule's filter: a subquery per row in the SELECT list
    would be evaluated for every row scanned, not every row kept."""
    return queryset.annotate(
        open_case=FilteredRelation(
            "young_person__cases", condition=Q(young_person__cases__status=CaseStatus.OPEN)
        )
    )


# The owner (the open case's lead professional) and the risk, once annotated.
# A young person with no open case has no owner and is not at high risk: the
# comparison with a missing case is NULL, and a flag's high_risk is never NULL.
OPEN_CASE_LEAD = F("open_case__lead_professional_id")
OPEN_CASE_HIGH = Coalesce(
    ExpressionWrapper(Q(open_case__risk_level=RiskLevel.HIGH), output_field=BooleanField()),
    Value(False, output_field=BooleanField()),
)


class _StartOf(Func):
    """The start of a day in the service's time zone, optionally a constant
    interval later. Midnight in London is 23:00 UTC in summer, so a plain cast
    (which the UTC database connection would read as UTC) is an hour late."""

    output_field = DateTimeField()

    def __init__(self, day_field: str, *, later: str = "") -> None:
        super().__init__(F(day_field))
        self.later = later

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # `later` is a constant written in this module, never user input.
        later = f" + interval '{self.later}'" if self.later else ""
        return f"(({sql}){later})::timestamp AT TIME ZONE %s", (*params, settings.TIME_ZONE)


def _start_of(day_field: str) -> _StartOf:
    return _StartOf(day_field)


def _bool(value: bool) -> Value:
    return Value(value, output_field=BooleanField())


def _none() -> Cast:
    # Typed, so that a NULL column of the candidate query is a bigint.
    return Cast(Value(None), BigIntegerField())


def _is(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def referral_decision_overdue(now: datetime) -> QuerySet:
    return Referral.objects.filter(status__in=AWAITING_DECISION, decision_due_at__lt=now).values(
        f_subject=F("pk"),
        f_young_person=F("young_person_id"),
        f_area=F("area_id"),
        f_owner=F("assigned_to_id"),
        f_due=F("decision_due_at"),
        f_high=_is(Q(urgency="urgent") | Q(risk_level=RiskLevel.HIGH)),
    )


def return_interview_overdue(now: datetime) -> QuerySet:
    """Returned more than 72 hours ago with no return interview offered."""
    hours = timedelta(hours=INTERVIEW_DUE_HOURS)
    return (
        _with_open_case(MissingEpisode.objects)
        .filter(returned_at__isnull=False, returned_at__lt=now - hours)
        .exclude(Exists(ReturnInterview.objects.filter(episode=OuterRef("pk"))))
        .values(
            f_subject=F("pk"),
            f_young_person=F("young_person_id"),
            f_area=F("young_person__area_id"),
            f_owner=OPEN_CASE_LEAD,
            f_due=ExpressionWrapper(F("returned_at") + hours, output_field=DateTimeField()),
            f_high=OPEN_CASE_HIGH,
        )
    )


def repeat_missing(now: datetime) -> QuerySet:
    """A repeat-missing review asked for and not yet done."""
    return (
        _with_open_case(MissingReviewRequest.objects)
        .filter(status="open")
        .values(
            f_subject=F("pk"),
            f_young_person=F("young_person_id"),
            f_area=F("young_person__area_id"),
            f_owner=OPEN_CASE_LEAD,
            f_due=F("raised_at"),
            f_high=OPEN_CASE_HIGH,
        )
    )


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
            f_due=_start_of("next_review_on"),
            f_high=_is(Q(case__risk_level=RiskLevel.HIGH)),
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
            f_due=_StartOf("young_person__date_of_birth", later="17 years 6 months"),
            f_high=_is(Q(risk_level=RiskLevel.HIGH)),
        )
    )


def no_contact(now: datetime) -> QuerySet:
    """An open case with no recorded contact with the young person or family
    for 28 days (counted from the last contact, or from the case opening if
    that is later: contact before this case opened does not make a new case
    overdue). The services that record contact keep `Case.last_contact_at`."""
    days = timedelta(days=settings.CONTACT_GAP_DAYS)
    # PostgreSQL's GREATEST ignores NULL: no contact yet counts from opening.
    since = Greatest(F("last_contact_at"), _start_of("opened_on"))
    return (
        Case.objects.filter(status=CaseStatus.OPEN)
        .annotate(since=since)
        .filter(since__lt=now - days)
        .values(
            f_subject=F("pk"),
            f_young_person=F("young_person_id"),
            f_area=F("area_id"),
            f_owner=F("lead_professional_id"),
            f_due=ExpressionWrapper(F("since") + days, output_field=DateTimeField()),
            f_high=_is(Q(risk_level=RiskLevel.HIGH)),
        )
    )


def meeting_record_not_distributed(now: datetime) -> QuerySet:
    """A held meeting whose record was not sent one working day after it."""
    return meeting_rules.records_not_distributed(now).values(
        f_subject=F("pk"),
        f_young_person=_none(),
        f_area=F("area_id"),
        f_owner=F("chair_id"),
        f_due=F("record_due_at"),
        f_high=_bool(False),
    )


def plan_review_overdue(now: datetime) -> QuerySet:
    """The current plan of an open case, past its review date (subject: the plan)."""
    return meeting_rules.plan_reviews_overdue(timezone.localdate(now)).values(
        f_subject=F("plan_id"),
        f_young_person=F("plan__case__young_person_id"),
        f_area=F("plan__case__area_id"),
        f_owner=F("plan__case__lead_professional_id"),
        f_due=_start_of("review_on"),
        f_high=_is(Q(plan__case__risk_level=RiskLevel.HIGH)),
    )


def action_overdue(now: datetime) -> QuerySet:
    return _with_open_case(meeting_rules.actions_overdue(timezone.localdate(now))).values(
        f_subject=F("pk"),
        f_young_person=F("young_person_id"),
        f_area=F("young_person__area_id"),
        f_owner=F("owner_id"),
        f_due=_start_of("due_on"),
        f_high=OPEN_CASE_HIGH,
    )


def high_risk_without_strategy_meeting(now: datetime) -> QuerySet:
    """High risk decided more than 10 working days ago, with no strategy
    meeting since (subject: the case)."""
    return meeting_rules.high_risk_without_strategy_meeting(now).values(
        f_subject=F("case_id"),
        f_young_person=F("case__young_person_id"),
        f_area=F("case__area_id"),
        f_owner=F("case__lead_professional_id"),
        f_due=F("decided_at"),
        f_high=_bool(True),
    )


register(
    Rule(
        "referral_decision",
        "Referral decision overdue",
        "referral",
        referral_decision_overdue,
        "referral",
    )
)
register(
    Rule(
        "return_interview",
        "Return interview overdue",
        "missing_episode",
        return_interview_overdue,
        "missing-episode",
    )
)
register(
    Rule("repeat_missing", "Repeat missing: review the case", "missing_review", repeat_missing)
)
register(Rule("assessment_review", "Assessment review overdue", "case", assessment_review_overdue))
register(
    Rule(
        "turning_18",
        "Turning 18: transition plan needed",
        "case",
        turning_18_without_transition_plan,
    )
)


def _no_contact_label() -> str:
    # Read when shown, not at import: the label says the gap the rule counts.
    days = settings.CONTACT_GAP_DAYS
    return f"No recorded contact for {days} day{'s' if days != 1 else ''}"


register(Rule("no_contact", lazy(_no_contact_label, str)(), "case", no_contact))
register(
    Rule(
        "meeting_record",
        "Meeting record not distributed",
        "meeting",
        meeting_record_not_distributed,
        "meeting",
    )
)
register(Rule("plan_review", "Plan review overdue", "plan", plan_review_overdue))
register(Rule("action", "Action overdue", "action", action_overdue, "action"))
register(
    Rule(
        "strategy_meeting",
        "High risk: strategy meeting not held",
        "case",
        high_risk_without_strategy_meeting,
    )
)
