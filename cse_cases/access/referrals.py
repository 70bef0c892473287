"""Referrals: who sees one, who screens and decides it, and how much of it a
reader is shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cse_cases.access.records import may_edit_young_person, young_people_visible_to
from cse_cases.access.roles import has_role
from cse_cases.access.scope import scope_for
from cse_cases.models import Role, User, YoungPerson
from referrals.models import AWAITING_DECISION, Referral, ReferralTransfer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def referral_screening_area_ids(user: User | AnonymousUser) -> list[int]:
    """Districts whose screening queue this person works: CSE leads and duty
    managers (supervisors) of the district."""
    if not has_role(user, Role.CSE_LEAD, Role.SUPERVISOR):
        return []
    return sorted(scope_for(user).area_ids)


def may_screen_referrals(user: User | AnonymousUser) -> bool:
    return bool(referral_screening_area_ids(user))


def referrals_visible_to(user: User | AnonymousUser) -> QuerySet[Referral]:
    """Who sees a referral:
    - the person who made it (to follow its outcome), and whoever it is assigned to;
    - CSE leads and duty managers of its district, and of a district it moved from;
    - those who see the young person's record, as part of their chronology.
    """
    scope = scope_for(user)
    if not scope.records or scope.user is None:
        return Referral.objects.none()
    condition = Q(referred_by=scope.user) | Q(assigned_to=scope.user)
    if scope.team_id:
        condition |= Q(assigned_team_id=scope.team_id)
    areas = referral_screening_area_ids(user)
    if areas:
        condition |= Q(area__in=areas) | Q(
            Exists(ReferralTransfer.objects.filter(referral=OuterRef("pk"), from_area__in=areas))
        )
    condition |= Q(young_person__in=young_people_visible_to(user).values("pk"))
    return Referral.objects.filter(condition)


def referral_for(user: User | AnonymousUser, pk: int) -> Referral:
    referral = referrals_visible_to(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral.")
    return referral


def referral_queue(user: User | AnonymousUser) -> QuerySet[Referral]:
    """Referrals awaiting a decision in the districts this person screens.

    A subset of referrals_visible_to, written as one indexed condition so the
    queue reads the small partial index (referral_queue_idx) only.
    """
    areas = referral_screening_area_ids(user)
    if not areas:
        return Referral.objects.none()
    return Referral.objects.filter(area__in=areas, status__in=AWAITING_DECISION)


def may_decide_referral(user: User | AnonymousUser, referral: Referral) -> bool:
    """Assigning, moving, deciding, closing and reopening: the district's CSE
    leads and duty managers."""
    return referral.area_id in referral_screening_area_ids(user)


def may_screen_referral(user: User | AnonymousUser, referral: Referral) -> bool:
    """Screening work (notes, risk, identifying the young person): the
    district's screeners and the worker it is assigned to."""
    if may_decide_referral(user, referral):
        return True
    scope = scope_for(user)
    return scope.records and scope.user is not None and referral.assigned_to_id == scope.user.pk


def referral_for_action(user: User | AnonymousUser, pk: int, *, need: str = "decide") -> Referral:
    """A referral this person may act on: decide (need="decide") or screen
    (need="screen"). 404 for those who may only read it, like its referrer."""
    referral = referral_for(user, pk)
    allowed = (
        may_decide_referral(user, referral)
        if need == "decide"
        else may_screen_referral(user, referral)
    )
    if not allowed:
        raise Http404("No such referral.")
    return referral


def referral_full_views(
    user: User | AnonymousUser,
    referrals: Iterable[Referral],
    *,
    sees_young_people: Iterable[int] | None = None,
) -> set[int]:
    """Which of these referrals the reader sees in full: the record's name,
    the history's reasons and an earlier referral are for those who see the
    young person's record or screen the referral; a referrer sees what they
    gave and the outcome. One query for the lot (none when the caller already
    knows which young people the reader sees: `sees_young_people`)."""
    referrals = list(referrals)
    scope = scope_for(user)
    if not scope.records or scope.user is None:
        return set()
    screened = set(referral_screening_area_ids(user))
    full = {r.pk for r in referrals if r.area_id in screened or r.assigned_to_id == scope.user.pk}
    rest = [r for r in referrals if r.pk not in full and r.young_person_id is not None]
    if not rest:
        return full
    if sees_young_people is None:
        seen = set(
            young_people_visible_to(user)
            .filter(pk__in={r.young_person_id for r in rest})
            .values_list("pk", flat=True)
        )
    else:
        seen = set(sees_young_people)
    return full | {r.pk for r in rest if r.young_person_id in seen}


def may_open_case(
    user: User | AnonymousUser, young_person: YoungPerson, *, referral: Referral | None = None
) -> bool:
    """Opening a case: the author of a new record (its first case), those who
    work on the record, and whoever may decide a referral about this young
    person that calls for an assessment. The record page and the service ask
    this one rule (the page used to decide its own, allowing the author of any
    record, which the service then refused)."""
    first_case = young_person.created_by_id == user.pk and not young_person.cases.exists()
    if first_case or may_edit_young_person(user, young_person):
        return True
    return (
        referral is not None
        and referral.young_person_id == young_person.pk
        and may_decide_referral(user, referral)
    )
