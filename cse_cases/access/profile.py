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
are exact. When it is made for readers beyond them (the partnership board,
whose members come from every agency: the reader chooses that audience for
the page, the PDF or the API), ``profile_shared`` says so, and the figures
then go through disclosure control (reports/disclosure.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.http import Http404

from cse_cases.access.roles import agency_kind, may_see_identifiable_records
from cse_cases.access.scope import scope_for
from cse_cases.models import AgencyKind, Area, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# The value of the district choice meaning "every one of my districts".
ALL_DISTRICTS = "all"


class ProfileAudience(models.TextChoices):
    """Who the profile is made for: it decides whether counts are exact."""

    INTERNAL = "internal", "CSE leads and police: exact counts"
    # The form says the threshold in force (reports/profile/forms.py).
    BOARD = "board", "The partnership board, or anyone beyond CSE leads and police"


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


def profile_shared(user: User | AnonymousUser, audience: str = ProfileAudience.INTERNAL) -> bool:
    """Whether the figures must be disclosure-controlled: the profile is
    made for readers beyond CSE leads and police (a partnership board), or
    read by someone who is not one. Anything but a known internal audience
    is treated as shared, so a mistake errs towards hiding small counts."""
    return not may_read_profile(user) or audience != ProfileAudience.INTERNAL


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
