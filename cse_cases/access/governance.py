"""Information governance: audit trails and the review of emergency access.

IG officers audit the districts they serve (their areas); one with no area
set serves none, so a mistake in an account shows nothing rather than
everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cse_cases.access.roles import has_role
from cse_cases.access.scope import scope_for
from cse_cases.models import BreakGlassGrant, Case, Role, User, YoungPerson

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def governance_area_ids(user: User | AnonymousUser) -> list[int]:
    if not has_role(user, Role.INFORMATION_GOVERNANCE):
        return []
    return sorted(scope_for(user).area_ids)


def may_audit(user: User | AnonymousUser) -> bool:
    return bool(governance_area_ids(user))


def audited_young_people(user: User | AnonymousUser) -> QuerySet[YoungPerson]:
    """Records whose trail this IG officer may read: the young person lives in
    a district they serve, or has a case there (a child who moved keeps the
    trail of the district that worked with them). Merged records included:
    their trail is history too."""
    areas = governance_area_ids(user)
    if not areas:
        return YoungPerson.objects.none()
    return YoungPerson.objects.filter(
        Q(area__in=areas) | Exists(Case.objects.filter(young_person=OuterRef("pk"), area__in=areas))
    )


def audited_young_person_for(user: User | AnonymousUser, pk: int) -> YoungPerson:
    young_person = audited_young_people(user).filter(pk=pk).first()
    if young_person is None:
        raise Http404("No such record.")
    return young_person


def break_glass_grants_to_review(user: User | AnonymousUser) -> QuerySet[BreakGlassGrant]:
    """Emergency access to records of the districts this officer serves (the
    district whose record was opened reviews it, not the requester's)."""
    areas = governance_area_ids(user)
    if not areas:
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(case__area__in=areas)


def break_glass_grant_for_review(user: User | AnonymousUser, pk: int) -> BreakGlassGrant:
    grant = (
        break_glass_grants_to_review(user)
        .select_related(
            "user__agency",
            "case__young_person",
            "case__lead_professional",
            "case__area",
            "review__reviewed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if grant is None:
        raise Http404("No such use of emergency access.")
    return grant
