"""The local problem profile: who may read a district's profile.

- CSE leads and police officers read the profile of their own districts
  (``Scope.area_ids``), one district at a time, or all of their districts
  together ("the partnership" for someone whose scope spans several).
- Everyone else (practitioners outside the police, supervisors,
  commissioners, information governance, administrators) is told there is
  nothing here (404): the profile names places and counts intelligence that
  only police and CSE leads hold.
- A district that is not the reader's, or does not exist, is "not found"
  (404), one answer for both, so an id reveals nothing.

The profile is internal: it is read by CSE leads and police, so its counts
are exact. ``profile_shared`` says when it is read by anyone else, and the
profile's figures then go through disclosure control (reports/disclosure.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from cse_cases.access.roles import agency_kind, may_see_identifiable_records
from cse_cases.access.scope import scope_for
from cse_cases.models import AgencyKind, Area, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# The value of the district choice meaning "every one of my districts".
ALL_DISTRICTS = "all"


@dataclass(frozen=True)
class ProfileDistricts:
    """The districts a profile covers, as the reader asked for them."""

    area_ids: tuple[int, ...]
    label: str


def may_read_profile(user: User | AnonymousUser) -> bool:
    if not may_see_identifiable_records(user):
        return False
    return user.role == Role.CSE_LEAD or agency_kind(user) == AgencyKind.POLICE


def require_profile(user: User | AnonymousUser) -> None:
    if not may_read_profile(user):
        raise Http404


def profile_district_choices(user: User | AnonymousUser) -> list[tuple[str, str]]:
    """The districts the reader may ask for, by name; "all of them" first
    when they hold more than one."""
    if not may_read_profile(user):
        return []
    areas = list(
        Area.objects.filter(pk__in=scope_for(user).area_ids).order_by("name").values("pk", "name")
    )
    choices = [(str(area["pk"]), area["name"]) for area in areas]
    if len(choices) > 1:
        choices.insert(0, (ALL_DISTRICTS, "All your districts (the partnership)"))
    return choices


def profile_shared(user: User | AnonymousUser) -> bool:
    """Whether the reader is beyond CSE leads and police, so the figures
    must be disclosure-controlled. Only they read it today; the flag is here
    so that sharing it (with a partnership board) is one decision, here."""
    return not may_read_profile(user)


def profile_districts(user: User | AnonymousUser, district: object) -> ProfileDistricts:
    """The districts asked for, each the reader's, or 404 (a malformed,
    unknown or someone else's district alike)."""
    require_profile(user)
    choices = dict(profile_district_choices(user))
    if not isinstance(district, str) or district not in choices:
        raise Http404
    if district == ALL_DISTRICTS:
        ids = tuple(sorted(int(pk) for pk in choices if pk != ALL_DISTRICTS))
    else:
        ids = (int(district),)
    return ProfileDistricts(area_ids=ids, label=choices[district])
