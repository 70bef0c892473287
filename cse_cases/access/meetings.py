"""Multi-agency meetings and the actions they (and plans) set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from assessments.models import Action, Meeting, MeetingSubject, Participant
from cse_cases.access.records import may_edit_young_person, young_people_visible_to
from cse_cases.access.roles import has_role, may_see_identifiable_records
from cse_cases.access.scope import scope_for
from cse_cases.models import Area, Role, User
from referrals.models import MeetingRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def may_schedule_meetings(user: User | AnonymousUser) -> bool:
    """CSE leads schedule the multi-agency meetings (of their districts: see
    meeting_areas_for)."""
    return has_role(user, Role.CSE_LEAD)


def meeting_areas_for(user: User | AnonymousUser) -> QuerySet[Area]:
    """The districts whose meetings this person may schedule and chair."""
    if not may_schedule_meetings(user):
        return Area.objects.none()
    return Area.objects.filter(pk__in=scope_for(user).areas).order_by("name")


def may_chair_meetings_in(user: User | AnonymousUser, area: Area) -> bool:
    """CSE leads chair the multi-agency meetings of their districts."""
    return may_schedule_meetings(user) and scope_for(user).in_area(area.pk)


def meeting_request_for(user: User | AnonymousUser, pk: int) -> MeetingRequest:
    """A request for a meeting (from a referral's decision) in a district
    whose meetings this person schedules, or 404."""
    found = (
        MeetingRequest.objects.filter(pk=pk, area__in=scope_for(user).areas).first()
        if may_schedule_meetings(user)
        else None
    )
    if found is None:
        raise Http404("No such meeting request.")
    return found


def meetings_visible_to(user: User | AnonymousUser) -> QuerySet[Meeting]:
    """A meeting is seen by its chair and the people on its list, by the CSE
    leads of its district, and by those who see a young person it discussed.
    What each sees of it is narrowed further: a young person's part only to
    those who may see that young person."""
    if not may_see_identifiable_records(user):
        return Meeting.objects.none()
    scope = scope_for(user)
    condition = (
        Q(chair=user)
        | Exists(Participant.objects.filter(meeting=OuterRef("pk"), user=user))
        | Exists(
            MeetingSubject.objects.filter(
                meeting=OuterRef("pk"),
                young_person__in=young_people_visible_to(user).values("pk"),
            )
        )
    )
    if scope.is_cse_lead:
        condition = Q(area__in=scope.areas) | condition
    return Meeting.objects.filter(condition)


def meeting_for(user: User | AnonymousUser, pk: int) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def may_manage_meeting(user: User | AnonymousUser, meeting: Meeting) -> bool:
    """The chair, and the CSE leads of the meeting's district."""
    if not has_role(user, Role.CSE_LEAD):
        return False
    return meeting.chair_id == user.pk or scope_for(user).in_area(meeting.area_id)


def may_read_meeting_papers(user: User | AnonymousUser, meeting: Meeting) -> bool:
    """The pack and the record: for those on the meeting's list and those who
    run it; each copy then holds only the young people the reader may see."""
    if may_manage_meeting(user, meeting):
        return True
    return (
        may_see_identifiable_records(user)
        and Participant.objects.filter(meeting=meeting, user=user).exists()
    )


def actions_visible_to(user: User | AnonymousUser) -> QuerySet[Action]:
    """Actions about young people the user may see, and their own actions."""
    if not may_see_identifiable_records(user):
        return Action.objects.none()
    return Action.objects.filter(
        Q(owner=user) | Q(young_person__in=young_people_visible_to(user).values("pk"))
    )


def action_for(user: User | AnonymousUser, pk: int) -> Action:
    action = actions_visible_to(user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action.")
    return action


def may_update_action(user: User | AnonymousUser, action: Action) -> bool:
    """Its owner, whoever set it, those running its meeting, and those who work
    on the young person's record."""
    if not may_see_identifiable_records(user):
        return False
    if user.pk in (action.owner_id, action.created_by_id):
        return True
    if action.meeting is not None and may_manage_meeting(user, action.meeting):
        return True
    return may_edit_young_person(user, action.young_person)
