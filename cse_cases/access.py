"""The access policy: the only place that decides who may see and do what.

Views, the API, exports, search and reports ask these functions; none of them
decides on its own. Someone without access to a record gets 404 (``Http404``),
never 403, so that the record's existence is not revealed.

This first part covers the partnership itself (reference data, people and the
administration screens); the young person's record adds to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cse_cases.models import Agency, Area, Role, Team, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Roles that never see an identifiable record (DESIGN.md section 4).
NO_IDENTIFIABLE_RECORDS = frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR})


def is_signed_in(user: User | AnonymousUser) -> bool:
    """Signed in, active, and past the two-factor step."""
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "is_verified", lambda: False)()
    )


def has_role(user: User | AnonymousUser, *roles: Role) -> bool:
    return is_signed_in(user) and user.role in roles


def may_see_identifiable_records(user: User | AnonymousUser) -> bool:
    return is_signed_in(user) and user.role not in NO_IDENTIFIABLE_RECORDS


def may_administer(user: User | AnonymousUser) -> bool:
    """Administrators manage areas, agencies, teams and accounts (Django admin)."""
    return is_signed_in(user) and user.role == Role.ADMINISTRATOR


def may_review_sign_in_activity(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.INFORMATION_GOVERNANCE, Role.ADMINISTRATOR)


# --- Scoped querysets -----------------------------------------------------------
# Reference data about the partnership (which areas exist, which agencies serve
# them) identifies no child, so everyone signed in may read it.


def areas_visible_to(user: User | AnonymousUser) -> QuerySet[Area]:
    if not is_signed_in(user):
        return Area.objects.none()
    return Area.objects.all()


def agencies_visible_to(user: User | AnonymousUser) -> QuerySet[Agency]:
    if not is_signed_in(user):
        return Agency.objects.none()
    return Agency.objects.all()


def teams_visible_to(user: User | AnonymousUser) -> QuerySet[Team]:
    """A person sees the teams of their own agency; administrators see all."""
    if not is_signed_in(user):
        return Team.objects.none()
    if may_administer(user):
        return Team.objects.all()
    return Team.objects.filter(agency_id=user.agency_id)


def colleagues_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """People a user may look up (to add to a team around a child, say).

    Practitioners across the partnership need to find each other, so every
    active person is visible to anyone who works with records; commissioners
    see nobody, and administrators see everyone to manage accounts.
    """
    if not is_signed_in(user):
        return User.objects.none()
    if may_administer(user):
        return User.objects.all()
    if not may_see_identifiable_records(user):
        return User.objects.filter(pk=user.pk)
    return User.objects.filter(is_active=True)
