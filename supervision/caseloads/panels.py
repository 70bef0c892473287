"""What caseloads put on the home page ("your cases", lead professional and
team member apart, and the way to the team's caseloads for those who manage
them) and on a young person's record (the way to move the case)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cse_cases import access, audit
from cse_cases.models import AuditAction, Case, User, YoungPerson
from supervision.caseloads import mine
from supervision.sessions.selectors import supervision_due

HOME_ROWS = 8


def home_widget(user: User) -> dict[str, Any]:
    now = timezone.now()
    today = timezone.localdate(now)
    cases = list(mine.my_cases(user, now))
    for case in cases:
        case.trajectory = mine.trajectory(case)
        case.overdue = mine.is_overdue(case, today)
    lead = [case for case in cases if case.is_lead]
    member = [case for case in cases if not case.is_lead]
    shown = lead[:HOME_ROWS] + member[:HOME_ROWS]
    audit.record_many(
        user=user,
        action=AuditAction.VIEW,
        object_type="case",
        young_person_ids=[case.young_person_id for case in shown],
        detail="home: your cases",
    )
    supervision = supervision_due([user], today).get(user.pk) if user.team_id is not None else None
    return {
        "supervision": supervision,
        "lead_cases": lead[:HOME_ROWS],
        "member_cases": member[:HOME_ROWS],
        "lead_total": len(lead),
        "member_total": len(member),
        "may_see_caseloads": access.may_see_caseloads(user),
    }


def case_allocation_panel(user: User, young_person: YoungPerson, case: Case) -> dict[str, Any]:
    """ "Move the case" for whoever may give it another lead professional (the
    access package decides: a practitioner never sees it)."""
    return {"may_move_case": access.may_allocate(user, case)}
