"""Reflective supervision: who holds a session with whom, who reads which part.

- A session is held by the supervisor of the worker's team (a CSE lead who
  supervises a team holds its sessions too) with one of its workers.
- The pair (the session's supervisor and its worker) read every part. The
  private parts (``PRIVATE_FIELDS``: development, support, mediation, the
  wellbeing check and the worker's reflection) are theirs alone.
- Information governance of the worker's district sees that a session
  happened (date, people, length, format): the metadata, no text at all.
- The management part (the cases discussed) goes onto each child's record,
  where whoever sees the case reads it (the chronology's source asks
  ``case_discussions_visible_to``). Another supervisor, a CSE lead, the team
  around the child: never a session itself, never its private parts.
- Wellbeing is seen by anyone else only as a team's aggregate over at least
  ``WELLBEING_MIN_WORKERS`` distinct workers (the arithmetic that keeps it so
  is in supervision/sessions/selectors.py ``wellbeing_by_team``), and a CSE
  lead sees it only for teams wholly in their districts (``wellbeing_teams_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cse_cases.access.records import cases_visible_to
from cse_cases.access.roles import (
    RECORD_ROLES,
    has_role,
    is_signed_in,
    may_see_identifiable_records,
)
from cse_cases.access.scope import scope_for
from cse_cases.models import Area, Case, CaseMember, CaseStatus, Role, Team, User
from supervision.sessions.models import PRIVATE_FIELDS, CaseDiscussion, SupervisionSession

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Fewer contributors than this and a wellbeing figure could be one person's.
# Issue 17 sets "at least 5": with 3, a reader who knows two colleagues'
# ratings (people talk) is left with one unknown person; with 5, four would
# have to be known. The same number bounds how many people may come or go
# between two quarters shown side by side.
WELLBEING_MIN_WORKERS = 5
SUPERVISING_ROLES = (Role.SUPERVISOR, Role.CSE_LEAD)

__all__ = [
    "PRIVATE_FIELDS",
    "WELLBEING_MIN_WORKERS",
    "SessionAccess",
    "case_discussions_visible_to",
    "discussable_cases",
    "may_hold_supervision",
    "may_supervise",
    "session_access",
    "session_access_for",
    "session_action_owner_choices",
    "sessions_visible_to",
    "supervisee_for",
    "supervisees_of",
    "wellbeing_teams_for",
]


def may_hold_supervision(user: User | AnonymousUser) -> bool:
    """Supervisors, and CSE leads who supervise a team."""
    return has_role(user, *SUPERVISING_ROLES)


def supervisees_of(user: User | AnonymousUser) -> QuerySet[User]:
    """The active workers of the teams this person supervises (never themselves)."""
    if not is_signed_in(user) or not may_hold_supervision(user):
        return User.objects.none()
    return (
        User.objects.filter(team__supervisor=user, is_active=True, role__in=RECORD_ROLES)
        .exclude(id=user.id)
        .select_related("team", "agency")
    )


def may_supervise(user: User | AnonymousUser, worker: User) -> bool:
    """The supervisor of the worker's team (one query-free check on loaded rows)."""
    return (
        may_hold_supervision(user)
        and worker.pk != user.pk
        and worker.is_active
        and worker.team_id is not None
        and worker.team is not None
        and worker.team.supervisor_id == user.pk
    )


def supervisee_for(user: User | AnonymousUser, pk: int) -> User:
    """A worker this person supervises, or 404."""
    worker = supervisees_of(user).filter(pk=pk).first()
    if worker is None:
        raise Http404("No such worker.")
    return worker


def _governance_condition(user: User) -> Q:
    """Sessions whose worker works in a district this IG officer serves."""
    # The worker's districts only: a supervisor who also works elsewhere does
    # not bring another district's supervision into this officer's view.
    return Q(worker__areas__in=scope_for(user).areas)


def sessions_visible_to(user: User | AnonymousUser) -> QuerySet[SupervisionSession]:
    """The pair's sessions; for information governance, the sessions of their
    districts' workers (the caller shows them the metadata only)."""
    if not is_signed_in(user):
        return SupervisionSession.objects.none()
    if user.role == Role.INFORMATION_GOVERNANCE:
        return SupervisionSession.objects.filter(
            pk__in=SupervisionSession.objects.filter(_governance_condition(user)).values("pk")
        )
    if not may_see_identifiable_records(user):
        return SupervisionSession.objects.none()
    return SupervisionSession.objects.filter(Q(supervisor=user) | Q(worker=user))


@dataclass(frozen=True)
class SessionAccess:
    """A session and what this reader may do with it: one lookup."""

    session: SupervisionSession
    # The private parts (development, support, mediation, wellbeing, reflection).
    reads_private: bool
    # The management part (the cases discussed and actions agreed).
    reads_management: bool
    # Change the session (the supervisor who held it).
    may_edit: bool
    # Write the worker's own reflection (the worker alone).
    may_reflect: bool


def _access(user: User, session: SupervisionSession) -> SessionAccess:
    pair = user.pk in (session.supervisor_id, session.worker_id)
    return SessionAccess(
        session=session,
        reads_private=pair,
        reads_management=pair,
        # A later supervisor of the worker is not one of the pair: they neither
        # read nor change a session someone else held.
        may_edit=user.pk == session.supervisor_id and may_hold_supervision(user),
        may_reflect=user.pk == session.worker_id and may_see_identifiable_records(user),
    )


def session_access_for(user: User | AnonymousUser, pk: int) -> SessionAccess:
    """The session and what this reader may do with it, or 404."""
    session = (
        sessions_visible_to(user)
        .select_related("supervisor__agency", "worker__agency", "worker__team")
        .filter(pk=pk)
        .first()
    )
    if session is None or not is_signed_in(user):
        raise Http404("No such supervision session.")
    return _access(user, session)


def session_access(user: User | AnonymousUser, session: SupervisionSession) -> SessionAccess:
    """For a session already in `sessions_visible_to(user)` (an API list)."""
    if not is_signed_in(user):
        raise Http404("No such supervision session.")
    return _access(user, session)


def discussable_cases(user: User | AnonymousUser, worker: User) -> QuerySet[Case]:
    """Open cases the worker leads or is in the team around the child for,
    that this supervisor may see."""
    member = CaseMember.objects.filter(case=OuterRef("pk"), user=worker, removed_at__isnull=True)
    return (
        cases_visible_to(user)
        .filter(status=CaseStatus.OPEN)
        .filter(Q(lead_professional=worker) | Q(Exists(member)))
        .select_related("young_person")
    )


def session_action_owner_choices(case: Case, worker: User) -> QuerySet[User]:
    """Who may own an action agreed in supervision about this case: the worker,
    the case's lead professional, and the team around the child."""
    member = CaseMember.objects.filter(case=case, user=OuterRef("pk"), removed_at__isnull=True)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(pk=worker.pk) | Q(pk=case.lead_professional_id) | Q(Exists(member)))
        .exclude(agency__isnull=True)
        .select_related("agency", "team")
    )


def case_discussions_visible_to(user: User | AnonymousUser) -> QuerySet[CaseDiscussion]:
    """The management part on a child's record: for whoever sees the case."""
    if not may_see_identifiable_records(user):
        return CaseDiscussion.objects.none()
    return CaseDiscussion.objects.filter(case__in=cases_visible_to(user).values("pk"))


def wellbeing_teams_for(user: User | AnonymousUser) -> QuerySet[Team]:
    """Teams whose figures (supervision on time, wellbeing) this person may
    read: a supervisor's own teams; for a CSE lead, also the teams wholly in
    their districts.

    Wholly in: the team's agency works only in the lead's districts, or every
    active worker in the team works only in them. One worker in the lead's
    district is not enough: a team working mostly elsewhere would otherwise
    show its figures to a lead who has no part in its work."""
    if not may_hold_supervision(user):
        return Team.objects.none()
    condition = Q(supervisor=user)
    if has_role(user, Role.CSE_LEAD):
        districts = scope_for(user).areas
        agency_area = Area.objects.filter(agencies=OuterRef("agency"))
        agency_inside = Q(Exists(agency_area)) & ~Q(Exists(agency_area.exclude(pk__in=districts)))
        workers = User.objects.filter(team=OuterRef("pk"), is_active=True, role__in=RECORD_ROLES)
        worker_area_outside = Area.objects.filter(
            staff__team=OuterRef("pk"), staff__is_active=True, staff__role__in=RECORD_ROLES
        ).exclude(pk__in=districts)
        workers_inside = (
            Q(Exists(workers))
            & ~Q(Exists(workers.filter(areas__isnull=True)))
            & ~Q(Exists(worker_area_outside))
        )
        condition |= agency_inside | workers_inside
    return Team.objects.filter(condition)
