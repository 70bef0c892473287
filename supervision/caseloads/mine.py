"""Reads for "your cases": the open cases a worker leads or is in the team
around the child for, each with its risk level and trajectory, last contact,
the next thing due and its open flags. One statement for the whole list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, Least, TruncDate

from assessments.models import Action
from cse_cases import access
from cse_cases.models import Case, CaseMember, CaseStatus, RiskLevel, RiskLevelChange, User

# Risk levels in order, for the trajectory.
LEVEL_ORDER = {
    RiskLevel.NOT_ASSESSED: 0,
    RiskLevel.LOW: 1,
    RiskLevel.MEDIUM: 2,
    RiskLevel.HIGH: 3,
}

SORTS = {
    "due": ("next_due", "young_person__legal_last_name", "pk"),
    "risk": ("-risk_rank", "next_due", "pk"),
    "contact": ("last_contact_at", "pk"),
    "flags": ("-open_flags", "next_due", "pk"),
    "name": ("young_person__legal_last_name", "young_person__legal_first_name", "pk"),
}
ROLES = {"lead": "Lead professional", "member": "Team member"}
LIMIT = 500


@dataclass(frozen=True)
class Filters:
    sort: str = "due"
    role: str = ""  # "", "lead" or "member"
    risk: str = ""  # a RiskLevel value or ""
    flagged: bool = False
    no_recent_contact: bool = False

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        """Unknown values fall back to the default rather than erroring: the
        list is a view, and a bookmarked link with an old value should open."""
        sort = query.get("sort", "due")
        role = query.get("role", "")
        risk = query.get("risk", "")
        return cls(
            sort=sort if sort in SORTS else "due",
            role=role if role in ROLES else "",
            risk=risk if risk in RiskLevel.values else "",
            flagged=query.get("flagged") == "1",
            no_recent_contact=query.get("no_contact") == "1",
        )


def _rank() -> CaseWhen:
    return CaseWhen(
        *(When(risk_level=level, then=Value(rank)) for level, rank in LEVEL_ORDER.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def my_cases(
    user: User, now: datetime, filters: Filters | None = None, *, limit: int | None = LIMIT
) -> QuerySet[Case]:
    """The worker's open cases (always within what the policy lets them see),
    the first `limit` of them (None: all, for the API's pages)."""
    filters = filters or Filters()
    membership = CaseMember.objects.filter(case=OuterRef("pk"), user=user, removed_at__isnull=True)
    previous_level = (
        RiskLevelChange.objects.filter(case=OuterRef("pk"))
        .order_by("-decided_at", "-pk")
        .values("level")[1:2]
    )
    flags = access.flags_visible_to(user).filter(
        young_person=OuterRef("young_person"), resolved_at__isnull=True
    )
    flag_count = flags.order_by().values("young_person").annotate(n=Count("pk")).values("n")
    flag_due = flags.order_by().values("young_person").annotate(d=Min("due_at")).values("d")
    action_due = (
        Action.objects.filter(young_person=OuterRef("young_person"), status="open")
        .order_by()
        .values("young_person")
        .annotate(d=Min("due_on"))
        .values("d")
    )
    cases = (
        access.cases_visible_to(user)
        .filter(status=CaseStatus.OPEN)
        .filter(Q(lead_professional=user) | Q(Exists(membership)))
        .select_related("young_person", "lead_professional")
        .annotate(
            is_lead=ExpressionWrapper(Q(lead_professional=user), output_field=IntegerField()),
            risk_rank=_rank(),
            previous_level=Subquery(previous_level),
            open_flags=Coalesce(Subquery(flag_count, output_field=IntegerField()), 0),
            next_flag_due=TruncDate(Subquery(flag_due)),
            next_action_due=Subquery(action_due, output_field=DateField()),
        )
        .annotate(
            # PostgreSQL's LEAST ignores nulls: the sooner of the two, or either.
            next_due=Least(F("next_flag_due"), F("next_action_due"), output_field=DateField())
        )
    )
    if filters.role == "lead":
        cases = cases.filter(lead_professional=user)
    elif filters.role == "member":
        cases = cases.exclude(lead_professional=user)
    if filters.risk:
        cases = cases.filter(risk_level=filters.risk)
    if filters.flagged:
        cases = cases.filter(open_flags__gt=0)
    if filters.no_recent_contact:
        since = now - timedelta(days=settings.CONTACT_GAP_DAYS)
        cases = cases.filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=since))
    cases = cases.order_by(*_ordering(SORTS[filters.sort]))
    return cases if limit is None else cases[:limit]


def _ordering(names: tuple[str, ...]) -> list[OrderBy]:
    # Nothing due (or no contact recorded) sorts last, not first.
    return [
        F(name[1:]).desc(nulls_last=True) if name.startswith("-") else F(name).asc(nulls_last=True)
        for name in names
    ]


def trajectory(case: Case) -> str:
    """ "Rising", "falling" or "steady" against the previous recorded level;
    "first level" when there is only one."""
    previous = getattr(case, "previous_level", None)
    if not previous:
        return "first level"
    now_rank = LEVEL_ORDER.get(RiskLevel(case.risk_level), 0)
    then_rank = LEVEL_ORDER.get(RiskLevel(previous), 0)
    if now_rank > then_rank:
        return "rising"
    if now_rank < then_rank:
        return "falling"
    return "steady"


def is_overdue(case: Case, today: date) -> bool:
    due = getattr(case, "next_due", None)
    return due is not None and due < today
