"""The reader's scope: who they are for the policy, resolved once per request.

A record page asks the policy a dozen questions about one reader (which cases,
which young people, may they edit, see restricted details...). Each used to
rebuild the visibility condition and re-read the reader's districts. A Scope
holds those answers (role, districts, agency, team, and the visibility
conditions built from them) and is reused for the rest of the request.

Why it cannot go stale or leak:
- It is cached only while a request is being handled (between Django's
  request_started and request_finished signals), under a token made for that
  request. A Celery task, a management command or a test calling the policy
  outside a request resolves a fresh scope every time, as before.
- It is cached on the user object the request authenticated, so it is never
  seen by another user; it also records the user's pk and the fields it was
  built from (role, agency, team, active, two-factor state) and is rebuilt
  when any differs. A later request loads the user again and gets a new token,
  so a change of role, districts or team is seen on the very next request.
- It holds no data about records: only who the reader is. Which cases and
  young people match is still decided by PostgreSQL, per query, so a case the
  reader joins during the request is seen at once.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_finished, request_started
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import UserObjectPermission

from cse_cases.access.roles import RECORD_ROLES, is_signed_in, works_with_records
from cse_cases.models import BreakGlassGrant, Case, CaseMember, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Where the sign-in backend (cse_cases.auth_backends) leaves the ids of the
# districts of the user a request authenticated, read with the user.
SIGNED_IN_AREA_IDS = "signed_in_area_ids"

# The permission a recorded information-sharing decision grants (guardian).
SHARED_CASE_PERMISSION = "view_shared_case"

# The request being handled in this thread or task (None outside one).
_request_token: ContextVar[object | None] = ContextVar("harbour_access_request", default=None)
_CACHE_ATTRIBUTE = "_harbour_access_scope"


def _request_began(**kwargs: Any) -> None:
    _request_token.set(object())


def _request_ended(**kwargs: Any) -> None:
    _request_token.set(None)


request_started.connect(_request_began, dispatch_uid="harbour-access-scope-began")
request_finished.connect(_request_ended, dispatch_uid="harbour-access-scope-ended")


@dataclass(frozen=True, eq=False)
class Scope:
    """Who a reader is, for the policy. Built by scope_for (the signed-in
    reader) or scope_of (someone else: an action's owner, a meeting's invitee)."""

    user: User | None
    # Signed in and past two-factor (for scope_of: an active account).
    signed_in: bool
    # In a role that works with children's records.
    records: bool
    role: str
    agency_id: int | None
    team_id: int | None
    # Resolved inside a request: the districts are read once, as ids, rather
    # than as a subquery repeated inside every statement.
    in_request: bool = False
    # When it was resolved: "now" for its conditions (break-glass access that
    # has not expired), the same in every statement of the request.
    resolved_at: datetime = field(default_factory=timezone.now)

    @cached_property
    def area_ids(self) -> frozenset[int]:
        """The reader's districts: as the sign-in backend read them with the
        request's user (auth_backends.get_user), else from prefetched areas
        if present, else one query."""
        if self.user is None:
            return frozenset()
        if self.in_request:
            loaded = getattr(self.user, SIGNED_IN_AREA_IDS, None)
            if loaded is not None:
                return frozenset(loaded)
        return frozenset(area.pk for area in self.user.areas.all())

    def in_area(self, area_id: int | None) -> bool:
        return area_id is not None and area_id in self.area_ids

    @property
    def areas(self) -> list[int] | QuerySet[Any]:
        """The districts for a condition: ids inside a request (one query for
        the request), a subquery outside one (no query of its own)."""
        if self.user is None:
            return []
        if self.in_request:
            return sorted(self.area_ids)
        return self.user.areas.all()

    @property
    def is_cse_lead(self) -> bool:
        return self.records and self.role == Role.CSE_LEAD

    @property
    def is_supervisor(self) -> bool:
        return self.records and self.role == Role.SUPERVISOR

    @cached_property
    def case_condition(self) -> Q:
        """One condition for every route to a case, evaluated inside PostgreSQL."""
        user = self.user
        if user is None or not self.records:
            return Q(pk__in=[])
        active_member = CaseMember.objects.filter(case=OuterRef("pk"), removed_at__isnull=True)
        shared = UserObjectPermission.objects.filter(
            user=user,
            permission__codename=SHARED_CASE_PERMISSION,
            content_type=ContentType.objects.get_for_model(Case),
            object_pk=Cast(OuterRef("pk"), CharField()),
        )
        condition = (
            Q(lead_professional=user)
            | Q(Exists(active_member.filter(user=user)))
            | Q(Exists(shared))
            | Q(
                Exists(
                    BreakGlassGrant.objects.filter(
                        case=OuterRef("pk"), user=user, expires_at__gt=self.resolved_at
                    )
                )
            )
        )
        if self.role == Role.CSE_LEAD:
            condition |= Q(area__in=self.areas)
        if self.role == Role.SUPERVISOR:
            condition |= Q(lead_professional__team__supervisor=user) | Q(
                Exists(active_member.filter(user__team__supervisor=user))
            )
        return condition

    @cached_property
    def young_person_condition(self) -> Q:
        """Young people with a case the reader sees, plus, for a CSE lead,
        everyone living in their districts."""
        if self.user is None or not self.records:
            return Q(pk__in=[])
        visible_case = Case.objects.filter(self.case_condition, young_person=OuterRef("pk"))
        condition: Q = Q(Exists(visible_case))
        if self.role == Role.CSE_LEAD:
            # The cheap district test first: PostgreSQL evaluates an OR in order,
            # so the per-row case subquery runs only for children outside it.
            condition = Q(area__in=self.areas) | condition
        return condition

    @cached_property
    def case_edit_condition(self) -> Q:
        """Cases this reader may change (may_edit_case, as a condition)."""
        user = self.user
        if user is None or not self.records:
            return Q(pk__in=[])
        condition = Q(lead_professional=user) | Q(
            Exists(
                CaseMember.objects.filter(case=OuterRef("pk"), user=user, removed_at__isnull=True)
            )
        )
        if self.role == Role.CSE_LEAD:
            condition |= Q(area__in=self.areas)
        return condition


NOBODY = Scope(user=None, signed_in=False, records=False, role="", agency_id=None, team_id=None)


def _fingerprint(user: User, signed_in: bool) -> tuple[object, ...]:
    """What a scope was built from, checked before it is reused."""
    return (user.pk, user.role, user.agency_id, user.team_id, user.is_active, signed_in)


def scope_for(user: User | AnonymousUser) -> Scope:
    """The signed-in reader's scope, cached for the request being handled."""
    if not is_signed_in(user):
        return NOBODY
    token = _request_token.get()
    fingerprint = _fingerprint(user, True)
    if token is not None:
        cached = getattr(user, _CACHE_ATTRIBUTE, None)
        if cached is not None and cached[0] is token and cached[1] == fingerprint:
            scope: Scope = cached[2]
            return scope
    scope = Scope(
        user=user,
        signed_in=True,
        records=user.role in RECORD_ROLES,
        role=user.role,
        agency_id=user.agency_id,
        team_id=user.team_id,
        in_request=token is not None,
    )
    if token is not None:
        setattr(user, _CACHE_ATTRIBUTE, (token, fingerprint, scope))
    return scope


def scope_of(person: User) -> Scope:
    """The scope of someone who need not be the one signed in (never cached:
    such a person is asked about once or twice, and their account may be
    changing in this very request)."""
    return Scope(
        user=person,
        signed_in=bool(person.is_active),
        records=works_with_records(person),
        role=person.role,
        agency_id=person.agency_id,
        team_id=person.team_id,
    )
