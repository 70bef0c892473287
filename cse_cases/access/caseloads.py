"""Caseloads and allocation: whose caseload a reader may see, who may change a
worker's capacity, move a case, or publish a weighting scheme.

- A practitioner sees their own caseload.
- A supervisor sees the caseloads of the teams they supervise, and manages them
  (capacity, allocation).
- A CSE lead sees, and manages, the caseloads of everyone who works in their
  districts, and of any team they supervise.
- A load is a number: it names no child. Which cases behind it a reader may
  open is still the record policy's decision (cases_visible_to).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from cse_cases import statements
from cse_cases.access.records import cases_visible_to
from cse_cases.access.roles import RECORD_ROLES, may_see_identifiable_records
from cse_cases.access.scope import Scope, scope_for
from cse_cases.models import Case, CaseStatus, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

PUBLISH_SCHEME_PERMISSION = "supervision.publish_weightingscheme"


def _workers() -> QuerySet[User]:
    """People who carry a caseload: active accounts in a role that works with
    records (never a partner system's account)."""
    return User.objects.filter(is_active=True, is_service_account=False, role__in=RECORD_ROLES)


def _managed_condition(scope: Scope) -> Q:
    """Workers whose caseload this reader manages."""
    user = scope.user
    if user is None or not scope.records:
        return Q(pk__in=[])
    condition = Q(team__supervisor=user) & ~Q(pk=user.pk)
    if scope.is_cse_lead:
        condition |= Q(areas__in=scope.areas) & ~Q(pk=user.pk)
    return condition


def may_see_caseloads(user: User | AnonymousUser) -> bool:
    """Who has a team caseload view: supervisors and CSE leads."""
    scope = scope_for(user)
    return scope.is_supervisor or scope.is_cse_lead


def workers_managed_by(user: User | AnonymousUser) -> QuerySet[User]:
    """The workers whose capacity this reader agrees and whose cases they may move."""
    scope = scope_for(user)
    if not (scope.is_supervisor or scope.is_cse_lead):
        return User.objects.none()
    return _workers().filter(pk__in=_workers().filter(_managed_condition(scope)).values("pk"))


def workers_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """Whose caseload this reader sees: their own, and those they manage."""
    scope = scope_for(user)
    if scope.user is None or not scope.records:
        return User.objects.none()
    condition = Q(pk=scope.user.pk)
    if scope.is_supervisor or scope.is_cse_lead:
        condition |= Q(pk__in=_workers().filter(_managed_condition(scope)).values("pk"))
    return _workers().filter(condition)


@dataclass(frozen=True)
class WorkerAccess:
    worker: User
    # May agree the worker's capacity and move their cases.
    can_manage: bool


def worker_for(user: User | AnonymousUser, pk: int, *, need_manage: bool = False) -> WorkerAccess:
    """A worker whose caseload the reader sees, and whether they manage it;
    404 otherwise (whether the account exists is not revealed)."""
    worker = (
        workers_visible_to(user)
        .select_related("team", "agency", "worker_profile")
        .filter(pk=pk)
        .first()
    )
    if worker is None:
        raise Http404
    can_manage = workers_managed_by(user).filter(pk=pk).exists()
    if need_manage and not can_manage:
        raise Http404
    return WorkerAccess(worker=worker, can_manage=can_manage)


def cases_to_allocate(user: User | AnonymousUser) -> QuerySet[Case]:
    """Open cases this reader may give to another lead professional: those led
    by a worker they manage, and for a CSE lead every case in their districts.
    Always within the cases they may see."""
    scope = scope_for(user)
    if not (scope.is_supervisor or scope.is_cse_lead) or scope.user is None:
        return Case.objects.none()
    # A supervisor or CSE lead who leads a case themselves may hand it on.
    condition = Q(lead_professional__in=workers_managed_by(user).values("pk")) | Q(
        lead_professional=scope.user
    )
    if scope.is_cse_lead:
        condition |= Q(area__in=scope.areas)
    return cases_visible_to(user).filter(condition, status=CaseStatus.OPEN)


def case_to_allocate(user: User | AnonymousUser, pk: int) -> Case:
    case = (
        cases_to_allocate(user)
        .select_related("young_person", "lead_professional", "lead_agency", "area")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def may_allocate(user: User | AnonymousUser, case: Case) -> bool:
    """Whether the record page offers this reader "Move the case": whoever may
    give it to another lead professional (`cases_to_allocate`). One query,
    compiled once per reader (cse_cases/statements.py): it is on every record
    page a supervisor or CSE lead opens."""
    scope = scope_for(user)
    if not (scope.is_supervisor or scope.is_cse_lead) or case.status != CaseStatus.OPEN:
        return False
    if scope.is_cse_lead and scope.in_area(case.area_id):
        # What the statement would answer, without asking: a CSE lead sees
        # every case in their districts (Scope.case_condition) and may move it.
        return True
    found = statements.reused(
        scope.user,
        ("may allocate",),
        lambda pk: cases_to_allocate(user).filter(pk=pk).values("pk")[:1],
        case.pk,
    )
    return bool(found)


def allocation_candidates(user: User | AnonymousUser, case: Case) -> QuerySet[User]:
    """Who this reader may make the case's lead professional: the workers they
    manage (and themselves), never the current lead."""
    scope = scope_for(user)
    if scope.user is None:
        return User.objects.none()
    return (
        _workers()
        .filter(Q(pk__in=workers_managed_by(user).values("pk")) | Q(pk=scope.user.pk))
        .exclude(pk=case.lead_professional_id)
    )


def may_record_load_factors(user: User | AnonymousUser, case: Case) -> bool:
    """The case's lead professional, and whoever may move the case."""
    scope = scope_for(user)
    if scope.user is None or not scope.records or case.status != CaseStatus.OPEN:
        return False
    if case.lead_professional_id == scope.user.pk:
        return True
    return cases_to_allocate(user).filter(pk=case.pk).exists()


def may_publish_weighting_scheme(user: User | AnonymousUser) -> bool:
    """CSE leads (they set the partnership's practice standards with its
    board), and a supervisor given the permission. Every version is audited,
    keeps its rationale and never changes once published."""
    if not may_see_identifiable_records(user):
        return False
    if user.role == Role.CSE_LEAD:
        return True
    return user.role == Role.SUPERVISOR and user.has_perm(PUBLISH_SCHEME_PERMISSION)


def may_read_weighting_schemes(user: User | AnonymousUser) -> bool:
    """Everyone who carries or manages a caseload may read how it is weighed."""
    return may_see_identifiable_records(user)
