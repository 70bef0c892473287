"""People pickers: who may take a role for a child or a district.

Every list of people to choose from (an action's owner, a meeting's
invitees, the named readers of a note, a referral's worker, a new case's
lead professional, a return interviewer, a consistent worker) offers only
those who can take that role there, and the service refuses anyone else by
the same function, so the page and the API give one answer. Each list comes
with the person's agency and team (select_related): pickers show them
beside the name, so that two people of the same name are told apart.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import UserObjectPermission

from assessments.models import Meeting, MeetingSubject, Participant
from cse_cases.access.roles import RECORD_ROLES
from cse_cases.access.scope import SHARED_CASE_PERMISSION
from cse_cases.models import BreakGlassGrant, Case, CaseMember, Role, User, YoungPerson


def _people_for_roles() -> QuerySet[User]:
    """People who can hold a case (works_with_records), never a partner
    system's service account, each with their agency and team."""
    return (
        User.objects.filter(is_active=True, role__in=RECORD_ROLES, is_service_account=False)
        .select_related("agency", "team")
        .order_by("last_name", "first_name", "pk")
    )


def _works_in(area_ids: QuerySet[Any] | list[int]) -> Q:
    """A condition on people: those whose districts include one of these."""
    return Q(
        Exists(User.areas.through.objects.filter(user_id=OuterRef("pk"), area_id__in=area_ids))
    )


def _sees_any_case(cases: QuerySet[Case]) -> Q:
    """A condition on people: those who see at least one of these cases, by
    the routes of Scope.case_condition read the other way round (one query for
    everyone who sees a child, where asking person by person would be one
    each). tests/assessments/test_people_pickers.py holds the two in step."""
    person = OuterRef("pk")
    members = CaseMember.objects.filter(case__in=cases, removed_at__isnull=True)
    shared = UserObjectPermission.objects.filter(
        user=person,
        permission__codename=SHARED_CASE_PERMISSION,
        content_type=ContentType.objects.get_for_model(Case),
        object_pk__in=cases.annotate(pk_text=Cast("pk", CharField())).values("pk_text"),
    )
    glass = BreakGlassGrant.objects.filter(
        case__in=cases, user=person, expires_at__gt=timezone.now()
    )
    return (
        Exists(cases.filter(lead_professional=person))
        | Exists(members.filter(user=person))
        | Exists(shared)
        | Exists(glass)
        | (Q(role=Role.CSE_LEAD) & Exists(cases.filter(area__staff=person)))
        | (
            Q(role=Role.SUPERVISOR)
            & (
                Exists(cases.filter(lead_professional__team__supervisor=person))
                | Exists(members.filter(user__team__supervisor=person))
            )
        )
    )


def _sees_young_people(young_people: QuerySet[YoungPerson]) -> Q:
    """A condition on people: those who see at least one of these young
    people (a case of theirs, or, for a CSE lead, the district they live in)."""
    return _sees_any_case(Case.objects.filter(young_person__in=young_people.values("pk"))) | (
        Q(role=Role.CSE_LEAD) & _works_in(young_people.values("area_id"))
    )


def _one(young_person: YoungPerson) -> QuerySet[YoungPerson]:
    return YoungPerson.objects.filter(pk=young_person.pk)


def people_who_see_young_person(young_person: YoungPerson) -> QuerySet[User]:
    """Everyone who may see this young person's record, as one query."""
    return _people_for_roles().filter(_sees_young_people(_one(young_person)))


def people_who_see_case(case: Case) -> QuerySet[User]:
    """Everyone who may see this case, as one query."""
    return _people_for_roles().filter(_sees_any_case(Case.objects.filter(pk=case.pk)))


def people_working_in(area_id: int) -> QuerySet[User]:
    """People of a district: those who may be given its referrals to screen
    and lead the cases opened from them."""
    return _people_for_roles().filter(_works_in([area_id]))


def works_in_district(person: User, area_id: int) -> bool:
    return people_working_in(area_id).filter(pk=person.pk).exists()


def action_owner_choices(
    young_person: YoungPerson, *, meeting: Meeting | None = None
) -> QuerySet[User]:
    """Who may own an action about this young person: anyone who sees their
    record, wherever they work; people of the child's district (and of the
    meeting's) who are not in the team around the child yet; and the Harbour
    users invited to the meeting. Each is annotated `sees_young_person`:
    False for those who must join the team around the child before they can
    read the action (the form says so beside their name)."""
    sees = _sees_young_people(_one(young_person))
    areas = [young_person.area_id]
    condition = sees | _works_in(areas)
    if meeting is not None:
        areas.append(meeting.area_id)
        condition = sees | _works_in(areas)
        condition |= Q(Exists(Participant.objects.filter(meeting=meeting, user=OuterRef("pk"))))
    return (
        _people_for_roles()
        .filter(condition)
        .annotate(sees_young_person=ExpressionWrapper(sees, output_field=BooleanField()))
    )


def may_own_action(
    person: User, young_person: YoungPerson, *, meeting: Meeting | None = None
) -> bool:
    return action_owner_choices(young_person, meeting=meeting).filter(pk=person.pk).exists()


def meeting_invitee_choices(meeting: Meeting) -> QuerySet[User]:
    """Who may be invited to a meeting as a Harbour user: people of its
    district, and anyone who sees a young person on its agenda (a worker in
    another district in the team around one of them). Anyone else attends as
    someone outside Harbour, by name and agency."""
    agenda = YoungPerson.objects.filter(
        pk__in=MeetingSubject.objects.filter(meeting=meeting).values("young_person_id")
    )
    return _people_for_roles().filter(_works_in([meeting.area_id]) | _sees_young_people(agenda))


def may_be_invited(person: User, meeting: Meeting) -> bool:
    return meeting_invitee_choices(meeting).filter(pk=person.pk).exists()


def named_viewer_choices(case: Case) -> QuerySet[User]:
    """Who may be named as a reader of a restricted note: those who see the
    case (a note is read only through its case, so naming anyone else would
    give them nothing)."""
    return people_who_see_case(case)


def return_interviewer_choices(young_person: YoungPerson) -> QuerySet[User]:
    """Who may hold a return home interview: people of the young person's
    district, and those who already see their record elsewhere (the
    district a child was placed in, say)."""
    return _people_for_roles().filter(
        _works_in([young_person.area_id]) | _sees_young_people(_one(young_person))
    )


def consistent_worker_choices(case: Case) -> QuerySet[User]:
    """The young person's consistent worker is one of the people working with
    them: the lead professional or someone in the team around the child."""
    members = CaseMember.objects.filter(case=case, removed_at__isnull=True, user=OuterRef("pk"))
    return _people_for_roles().filter(Q(pk=case.lead_professional_id) | Exists(members))


def record_workers() -> QuerySet[User]:
    """Anyone in the partnership who can hold a case: the team around the
    child takes members from any agency and district (a child placed out of
    area has workers where they live), and sharing reaches beyond it. The
    picker's label tells people of the same name apart by agency and team.
    (Was cse_cases/views/records.py's own list; unlike _people_for_roles it
    keeps service accounts out only by their role, as it always did.)"""
    return (
        User.objects.filter(is_active=True, role__in=RECORD_ROLES)
        .select_related("agency", "team")
        .order_by("last_name", "first_name")
    )


def case_member_choices(case: Case) -> QuerySet[User]:
    """Who may join the team around the child: anyone who can hold a case,
    less the lead professional and those already in it."""
    already = CaseMember.objects.filter(case=case, user=OuterRef("pk"), removed_at__isnull=True)
    return record_workers().exclude(pk=case.lead_professional_id).exclude(Exists(already))
