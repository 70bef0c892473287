"""The core record's time rules (DESIGN.md section 5), for the drift engine:
missing episodes (the return interview, repeat missing) and contact with the
young person. Registered from CseCasesConfig.ready(); the engine that sweeps
them is supervision/engine.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils.functional import lazy

from cse_cases import drift
from cse_cases.drift import OPEN_CASE_HIGH, OPEN_CASE_LEAD, Rule, holds, start_of, with_open_case
from cse_cases.models import (
    Case,
    CaseStatus,
    MissingEpisode,
    MissingReviewRequest,
    ReturnInterview,
    RiskLevel,
)
from cse_cases.models.missing import INTERVIEW_DUE_HOURS


def return_interview_overdue(now: datetime) -> QuerySet:
    """Returned more than 72 hours ago with no return interview offered."""
    hours = timedelta(hours=INTERVIEW_DUE_HOURS)
    return (
        with_open_case(MissingEpisode.objects)
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
        with_open_case(MissingReviewRequest.objects)
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


def no_contact(now: datetime) -> QuerySet:
    """An open case with no recorded contact with the young person or family
    for 28 days (counted from the last contact, or from the case opening if
    that is later: contact before this case opened does not make a new case
    overdue). The services that record contact keep `Case.last_contact_at`."""
    days = timedelta(days=settings.CONTACT_GAP_DAYS)
    # PostgreSQL's GREATEST ignores NULL: no contact yet counts from opening.
    since = Greatest(F("last_contact_at"), start_of("opened_on"))
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
            f_high=holds(Q(risk_level=RiskLevel.HIGH)),
        )
    )


def _no_contact_label() -> str:
    # Read when shown, not at import: the label says the gap the rule counts.
    days = settings.CONTACT_GAP_DAYS
    return f"No recorded contact for {days} day{'s' if days != 1 else ''}"


# `order` keeps the sweep's order from before each app registered its own
# (cse_cases/drift.py).
RULES = (
    Rule(
        "return_interview",
        "Return interview overdue",
        "missing_episode",
        return_interview_overdue,
        "missing-episode",
        order=20,
    ),
    Rule(
        "repeat_missing",
        "Repeat missing: review the case",
        "missing_review",
        repeat_missing,
        order=30,
    ),
    Rule("no_contact", lazy(_no_contact_label, str)(), "case", no_contact, order=60),
)


def register() -> None:
    for rule in RULES:
        drift.register(rule)
