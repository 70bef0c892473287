"""Referrals' time rule (DESIGN.md section 5), for the drift engine: a
decision past its clock. Registered from ReferralsConfig.ready()."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet

from cse_cases import drift
from cse_cases.drift import Rule, holds
from cse_cases.models import RiskLevel
from referrals.models import AWAITING_DECISION, Referral


def referral_decision_overdue(now: datetime) -> QuerySet:
    return Referral.objects.filter(status__in=AWAITING_DECISION, decision_due_at__lt=now).values(
        f_subject=F("pk"),
        f_young_person=F("young_person_id"),
        f_area=F("area_id"),
        f_owner=F("assigned_to_id"),
        f_due=F("decision_due_at"),
        f_high=holds(Q(urgency="urgent") | Q(risk_level=RiskLevel.HIGH)),
    )


# Swept first, as before each app registered its own (`order`, cse_cases/drift.py).
RULES = (
    Rule(
        "referral_decision",
        "Referral decision overdue",
        "referral",
        referral_decision_overdue,
        "referral",
        order=10,
    ),
)


def register() -> None:
    for rule in RULES:
        drift.register(rule)
