"""Missing episodes and return home interviews."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cse_cases.access.records import may_edit_young_person, young_people_visible_to
from cse_cases.access.roles import has_role, is_police, may_see_identifiable_records
from cse_cases.access.scope import scope_for
from cse_cases.models import MissingEpisode, ReturnInterview, Role, User, YoungPerson

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def missing_episodes_visible_to(user: User | AnonymousUser) -> QuerySet[MissingEpisode]:
    """Episodes of the young people whose record the user may see."""
    if not may_see_identifiable_records(user):
        return MissingEpisode.objects.none()
    return MissingEpisode.objects.filter(
        young_person__in=young_people_visible_to(user).values("pk")
    )


def return_interviews_visible_to(user: User | AnonymousUser) -> QuerySet[ReturnInterview]:
    if not may_see_identifiable_records(user):
        return ReturnInterview.objects.none()
    return ReturnInterview.objects.filter(
        episode__young_person__in=young_people_visible_to(user).values("pk")
    )


def may_record_missing(user: User | AnonymousUser, young_person: YoungPerson) -> bool:
    """Those who work on the record, and police officers of the young person's
    district who can see it (break-glass from elsewhere gives sight, not authorship)."""
    if may_edit_young_person(user, young_person):
        return True
    return (
        is_police(user)
        and scope_for(user).in_area(young_person.area_id)
        and young_people_visible_to(user).filter(pk=young_person.pk).exists()
    )


def may_import_missing(user: User | AnonymousUser) -> bool:
    """Police missing notifications come in through police officers and CSE leads."""
    return is_police(user) or has_role(user, Role.CSE_LEAD)
