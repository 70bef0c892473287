"""Flags raised by the drift engine: who sees them, and whose they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from cse_cases.access.meetings import meetings_visible_to
from cse_cases.access.records import young_people_visible_to
from cse_cases.access.referrals import referrals_visible_to
from cse_cases.access.roles import has_role, may_see_identifiable_records
from cse_cases.access.scope import scope_for
from cse_cases.models import Role, User
from supervision.models import Flag

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Flags whose subject has its own access rule; every other flag is about a
# young person's record and is seen by whoever may see that young person.
# A "user" flag (supervision overdue) is about a worker: the worker, the
# supervisor who owns it and whoever it was escalated to see it (the owner's
# own supervisor, or the CSE leads of its district).
FLAG_SUBJECTS_WITH_OWN_RULE = ("referral", "meeting", "user")


def flags_visible_to(user: User | AnonymousUser) -> QuerySet[Flag]:
    """A flag is seen by those who may see its subject: the referral, the
    meeting, or otherwise the young person it concerns."""
    if not may_see_identifiable_records(user):
        return Flag.objects.none()
    by_subject = {
        "referral": referrals_visible_to(user),
        "meeting": meetings_visible_to(user),
    }
    condition = ~Q(subject_type__in=FLAG_SUBJECTS_WITH_OWN_RULE) & Q(
        young_person__in=young_people_visible_to(user).values("pk")
    )
    for subject_type, subjects in by_subject.items():
        condition |= Q(subject_type=subject_type, subject_id__in=subjects.values("pk"))
    about_worker = Q(subject_id=user.pk) | Q(owner=user) | Q(escalated_to=user)
    scope = scope_for(user)
    if scope.is_cse_lead:
        # Escalated to the district's CSE leads: the supervisor who is late
        # has no one above them in Harbour (supervision/sessions/rules.py).
        about_worker |= Q(escalation=2, area__in=scope.areas)
    condition |= Q(subject_type="user") & about_worker
    return Flag.objects.filter(condition)


def flags_about_young_people(young_person_ids: list[int]) -> QuerySet[Flag]:
    """The flags on these young people's records, for a reader already allowed
    to see each of them (a meeting's agenda, or a copy made for its reader):
    by the rule above, seeing the young person is seeing these flags."""
    return Flag.objects.filter(young_person__in=young_person_ids).exclude(
        subject_type__in=FLAG_SUBJECTS_WITH_OWN_RULE
    )


def flag_for(user: User | AnonymousUser, pk: int) -> Flag:
    flag = flags_visible_to(user).filter(pk=pk).first()
    if flag is None:
        raise Http404("No such flag.")
    return flag


def may_see_team_flags(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.SUPERVISOR, Role.CSE_LEAD)


def flags_to_act_on(user: User | AnonymousUser) -> QuerySet[Flag]:
    """Flags that are this person's to act on (open or not): their own, those
    escalated to them, and, for a CSE lead, those escalated to the CSE leads of
    their districts. (Was decided in supervision/selectors.py.)"""
    scope = scope_for(user)
    if not scope.records or scope.user is None:
        return Flag.objects.none()
    condition = Q(owner=scope.user) | Q(escalated_to=scope.user)
    if scope.is_cse_lead:
        condition |= Q(escalation=2, area__in=scope.areas)
    return flags_visible_to(user).filter(condition)


def team_flags_visible_to(user: User | AnonymousUser) -> QuerySet[Flag]:
    """The team view's flags: a CSE lead's districts, a supervisor's teams;
    nobody else has a team view. (Was decided in supervision/selectors.py.)"""
    scope = scope_for(user)
    if scope.is_cse_lead:
        return flags_visible_to(user).filter(area__in=scope.areas)
    if scope.is_supervisor:
        return flags_visible_to(user).filter(team__supervisor=scope.user)
    return Flag.objects.none()
