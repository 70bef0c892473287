"""See Me, Hear Me plans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from assessments.models import Plan
from cse_cases.access.records import CaseAccess, case_access_for, cases_visible_to
from cse_cases.access.roles import may_see_identifiable_records
from cse_cases.models import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def plans_visible_to(user: User | AnonymousUser) -> QuerySet[Plan]:
    if not may_see_identifiable_records(user):
        return Plan.objects.none()
    return Plan.objects.filter(case__in=cases_visible_to(user).values("pk"))


def plan_for(user: User | AnonymousUser, pk: int) -> Plan:
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def plan_case_for(user: User | AnonymousUser, pk: int, *, need_edit: bool = False) -> CaseAccess:
    """A case's plan pages and the plan API: the case and whether the reader
    may change its plan (those who may edit the case), in one lookup."""
    return case_access_for(user, pk, need_edit=need_edit)


def may_review_plan(access: CaseAccess) -> bool:
    """A plan is reviewed on an open case, by those who may edit it."""
    return access.can_edit and access.case.status == "open"
