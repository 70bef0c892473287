"""Who someone is, for the policy: signed in, in which role, with records or not.

Cheap checks on the user object itself; nothing here reads the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from cse_cases.models import AgencyKind, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

# Roles whose work is children's records: only they open records, lead cases
# and join teams. Commissioners and administrators never see an identifiable
# record (DESIGN.md section 4); information governance reviews the audit trail
# rather than browsing records.
RECORD_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.CSE_LEAD})


def is_signed_in(user: User | AnonymousUser) -> TypeIs[User]:
    """Signed in, active, and past the two-factor step."""
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "is_verified", lambda: False)()
    )


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return is_signed_in(user) and user.role in roles


def may_see_identifiable_records(user: User | AnonymousUser) -> TypeIs[User]:
    return has_role(user, *RECORD_ROLES)


def require_records(user: User | AnonymousUser) -> None:
    """For views: commissioners and administrators are told nothing exists (404)."""
    if not may_see_identifiable_records(user):
        raise Http404


def works_with_records(user: User) -> bool:
    """Whether this person (not necessarily the one signed in) can hold a case."""
    return bool(user.is_active and user.role in RECORD_ROLES)


def may_administer(user: User | AnonymousUser) -> bool:
    """Administrators manage areas, agencies, teams and accounts (Django admin)."""
    return is_signed_in(user) and user.role == Role.ADMINISTRATOR


def agency_kind(user: User) -> str | None:
    """The kind of the person's agency (police, health...); None without one."""
    agency = user.agency if user.agency_id else None
    return agency.kind if agency is not None else None


def is_police(user: User | AnonymousUser) -> bool:
    return may_see_identifiable_records(user) and agency_kind(user) == AgencyKind.POLICE


def may_merge_records(user: User | AnonymousUser) -> bool:
    """CSE leads fold duplicate records of one young person together (the
    service checks the district and sight of both records)."""
    return has_role(user, Role.CSE_LEAD)
