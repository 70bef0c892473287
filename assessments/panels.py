"""What assessments show on the core's pages: the record page's risk
assessments and plan-and-meetings panels (cse_cases/panels.py) and the home
page's assessment work (cse_cases/home_widgets.py), registered from
AssessmentsConfig.ready()."""

from __future__ import annotations

from typing import Any

from assessments.risk import selectors
from cse_cases import access, audit
from cse_cases.models import AuditAction, Case, User, YoungPerson


def case_assessments_panel(user: User, young_person: YoungPerson, case: Case) -> dict[str, Any]:
    """The open case's assessments: the trajectory of levels and each one."""
    return {
        "assessments": selectors.case_assessments(user, case),
        "may_assess": access.may_complete_assessment(user, case),
    }


def plan_and_meetings_panel(user: User, young_person: YoungPerson, case: Case) -> dict[str, Any]:
    """The case's plan, and scheduling a meeting about the young person."""
    return {"may_schedule": access.may_chair_meetings_in(user, young_person.area)}


def home_widget(user: User) -> dict[str, Any]:
    """Assessments waiting for this person's sign-off, and their own to
    complete; each child listed is a read of their record, so audited."""
    work = selectors.work_for_home(user)
    audit.record_many(
        user=user,
        action=AuditAction.VIEW,
        object_type="assessment",
        young_person_ids=[a.case.young_person_id for a in work.to_sign_off + work.mine],
        detail="assessment work on the home page",
    )
    return {"assessment_work": work}
