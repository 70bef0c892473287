"""Reads of referrals, always scoped by cse_cases/access/referrals.py, in a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TypedDict
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from cse_cases import access
from cse_cases.models import Agency, CaseStatus, RiskLevel, User
from cse_cases.models import Case as CaseRecord
from referrals.models import (
    MeetingRequest,
    MeetingRequestStatus,
    Referral,
    ReferralTransfer,
    ReferralTransition,
    Urgency,
)

QUEUE_PAGE_SIZE = 50
# How long a referral that moved away stays in the "moved to other areas" list.
MOVED_OUT_DAYS = 30

_RISK_RANK = Case(
    When(shown_risk=RiskLevel.HIGH, then=Value(0)),
    When(shown_risk=RiskLevel.MEDIUM, then=Value(1)),
    When(shown_risk=RiskLevel.LOW, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
_URGENCY_RANK = Case(
    When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
)
QUEUE_ORDER = {
    "due": ("decision_due_at", "pk"),
    "oldest": ("received_at", "pk"),
    "newest": ("-received_at", "-pk"),
    "urgency": ("urgency_rank", "decision_due_at", "pk"),
    "risk": ("risk_rank", "decision_due_at", "pk"),
}


class _ListColumns(TypedDict):
    shown_risk: str | None
    moved_from: str | None


def _for_lists(
    queryset: QuerySet[Referral],
) -> QuerySet[WithAnnotations[Referral, _ListColumns]]:
    """What a row of a referral list shows, in the same query."""
    last_move = ReferralTransfer.objects.filter(referral=OuterRef("pk")).order_by("-at")
    return queryset.select_related(
        "area", "young_person", "assigned_to", "assigned_team", "referrer_agency"
    ).annotate(
        # The screener's judgement, or else the referrer's.
        shown_risk=Coalesce(NullIf("risk_level", Value("")), NullIf("referrer_risk", Value(""))),
        moved_from=Subquery(last_move.values("from_area__name")[:1]),
    )


@dataclass(frozen=True)
class QueueFilter:
    sort: str = "due"
    urgency: str = ""
    risk: str = ""
    status: str = ""
    assigned: str = ""
    overdue: bool = False


def screening_queue(user: User, flt: QueueFilter, *, page: int = 1) -> Page:
    """Referrals awaiting a decision in the districts this person screens."""
    referrals = _for_lists(access.referral_queue(user)).annotate(
        risk_rank=_RISK_RANK, urgency_rank=_URGENCY_RANK
    )
    if flt.urgency:
        referrals = referrals.filter(urgency=flt.urgency)
    if flt.risk:
        referrals = referrals.filter(shown_risk=flt.risk)
    if flt.status:
        referrals = referrals.filter(status=flt.status)
    if flt.assigned == "me":
        referrals = referrals.filter(assigned_to=user)
    elif flt.assigned == "nobody":
        referrals = referrals.filter(assigned_to__isnull=True, assigned_team__isnull=True)
    if flt.overdue:
        referrals = referrals.filter(decision_due_at__lt=timezone.now())
    referrals = referrals.order_by(*QUEUE_ORDER.get(flt.sort, QUEUE_ORDER["due"]))
    return Paginator(referrals, QUEUE_PAGE_SIZE).get_page(page)


def moved_out(user: User) -> list[ReferralTransfer]:
    """Referrals that left this person's districts lately: both areas see the move."""
    areas = access.referral_screening_area_ids(user)
    if not areas:
        return []
    since = timezone.now() - timedelta(days=MOVED_OUT_DAYS)
    return list(
        ReferralTransfer.objects.filter(from_area__in=areas, at__gte=since)
        .exclude(to_area__in=areas)
        .select_related("referral__young_person", "to_area", "from_area", "by")
        .order_by("-at")[:50]
    )


def strategy_discussions_requested(user: User) -> list[MeetingRequest]:
    areas = access.referral_screening_area_ids(user)
    if not areas:
        return []
    return list(
        MeetingRequest.objects.filter(area__in=areas, status=MeetingRequestStatus.REQUESTED)
        .select_related("referral", "young_person", "requested_by")
        .order_by("requested_at")[:50]
    )


def referrals_made_by(user: User, *, page: int = 1) -> Page:
    referrals = _for_lists(access.referrals_visible_to(user).filter(referred_by=user)).order_by(
        "-received_at", "-pk"
    )
    return Paginator(referrals, QUEUE_PAGE_SIZE).get_page(page)


def sent_with_key(user: User, key: UUID | str) -> Referral | None:
    """The referral this person already sent with this form (idempotency key)."""
    return Referral.objects.filter(referred_by=user, idempotency_key=key).first()


def referral_page(user: User, pk: int) -> Referral:
    """The referral with everything its page shows, or 404."""
    referral = access.referral_for(user, pk)
    return (
        Referral.objects.filter(pk=referral.pk)
        .select_related(
            "area",
            "received_in_area",
            "young_person__area",
            "referrer_agency",
            "referred_by",
            "assigned_to",
            "assigned_team",
            "decided_by",
            "case__lead_professional",
            "previous_referral",
        )
        .prefetch_related(
            "attachments",
            Prefetch("transitions", queryset=ReferralTransition.objects.select_related("by")),
            Prefetch(
                "transfers",
                queryset=ReferralTransfer.objects.select_related("from_area", "to_area", "by"),
            ),
        )
        .get()
    )


def counts_for_home(user: User) -> dict:
    """Figures for the home page's referral panel: two cheap counts."""
    queue = access.referral_queue(user)
    return {
        "awaiting": queue.count(),
        "overdue": queue.filter(decision_due_at__lt=timezone.now()).count(),
    }


def referrer_agency(referral: Referral) -> Agency | None:
    """The agency the referral came from: the one recorded, else that of the
    person who made it in Harbour (their agency's name is what the form fills in)."""
    if referral.referrer_agency_id:
        return referral.referrer_agency
    return Agency.objects.filter(staff__pk=referral.referred_by_id).first()


def lead_professional_choices(referral: Referral, agency: Agency | None) -> QuerySet[User]:
    """Who may lead a case opened from this referral: people who can hold a
    case (access.works_with_records) in the referral's district, with their
    agency and team; those of `agency` (the referrer's) first."""
    first = (
        Case(
            When(agency_id=agency.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        if agency is not None
        else Value(1, output_field=IntegerField())
    )
    return (
        access.people_working_in(referral.area_id)
        .annotate(referrers_agency=first)
        .order_by("referrers_agency", "last_name", "first_name", "pk")
    )


def referral_open_case(referral: Referral) -> CaseRecord | None:
    """The young person's open case, which a CSE assessment joins (None: a
    new case opens, and the decider chooses its lead professional)."""
    if referral.young_person is None:
        return None
    return (
        referral.young_person.cases.filter(status=CaseStatus.OPEN)
        .select_related("lead_professional")
        .first()
    )
