"""Reads of See Me, Hear Me plans, scoped by the access policy."""

from __future__ import annotations

from django.db.models import Prefetch

from assessments.models import Plan, PlanVersion
from cse_cases import access
from cse_cases.models import Case, User


def plan_of(user: User, case: Case) -> tuple[Plan | None, list[PlanVersion]]:
    plan = (
        access.plans_visible_to(user)
        .filter(case=case)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.select_related("consistent_worker", "created_by"),
            )
        )
        .first()
    )
    return plan, list(plan.versions.all()) if plan else []
