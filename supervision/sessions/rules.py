"""Supervision's time rule (DESIGN.md section 5), for the drift engine: a
worker whose next supervision is past due. Registered from
SupervisionConfig.ready(); the arithmetic is the selectors' (one expression
for the rule, the team view and the compliance figures).

One open flag per worker (subject type "user"), owned by the supervisor of
the worker's team, in the worker's team (`own_team`: the engine would
otherwise give a flag its owner's team, and a supervisor's own team may be
another, or none). A flag needs a district: the worker's own (the lowest id
of their districts, so it is stable), or, for a worker with none recorded,
their supervisor's; someone with neither is not flagged (an account an
administrator must finish). The flag resolves when a session is recorded
(supervision.sessions.services) or, at the latest, at the next sweep.

When it ages it escalates past its owner (`escalate_past_owner`): the
supervisor is the one already late, so the flag goes to whoever supervises
them (their own team's supervisor), or, with no one above them, to the
district's CSE leads.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cse_cases import drift
from cse_cases.drift import Rule, constant, no_id, start_of
from cse_cases.models import User
from supervision.sessions.selectors import supervised_workers, with_supervision_due

KIND = "supervision"
SUBJECT_TYPE = "user"


def _first_district(user_ref: str) -> Subquery:
    return Subquery(
        User.areas.through.objects.filter(user_id=OuterRef(user_ref))
        .order_by("area_id")
        .values("area_id")[:1]
    )


def supervision_overdue(now: datetime) -> QuerySet:
    today = timezone.localdate(now)
    return (
        with_supervision_due(supervised_workers(), today)
        .filter(supervision_next_due__lt=today)
        .annotate(f_district=Coalesce(_first_district("pk"), _first_district("team__supervisor")))
        .filter(f_district__isnull=False)
        .values(
            f_subject=F("pk"),
            f_young_person=no_id(),
            f_area=F("f_district"),
            f_owner=F("team__supervisor_id"),
            f_due=start_of("supervision_next_due"),
            f_high=constant(False),
            f_team=F("team_id"),
        )
    )


RULES = (
    Rule(
        KIND,
        "Supervision overdue",
        SUBJECT_TYPE,
        supervision_overdue,
        order=110,
        own_team=True,
        escalate_past_owner=True,
    ),
)


def register() -> None:
    for rule in RULES:
        drift.register(rule)
