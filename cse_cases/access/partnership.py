"""Reference data about the partnership (which areas exist, which agencies
serve them, teams, colleagues). It identifies no child, so everyone signed in
may read most of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cse_cases.access.roles import is_signed_in, may_administer, may_see_identifiable_records
from cse_cases.models import Agency, Area, Team, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


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
    if user.agency_id is None:
        return Team.objects.none()
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
