"""Reads of meetings and actions, scoped by the access policy.

A meeting's agenda is built from each young person's record: the latest
signed-off assessment, missing episodes since the last meeting that discussed
them, and their open actions. Everything is read for all the meeting's young
people at once, so a panel of thirty costs the same queries as a panel of one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingSubject,
    Participant,
)
from cse_cases import access
from cse_cases.models import MissingEpisode, User
from reports.network.selectors import Network, network_within
from supervision import selectors as flag_selectors

# With no earlier meeting, the agenda looks back this far for missing episodes.
AGENDA_LOOKBACK = timedelta(days=90)


@dataclass
class AgendaItem:
    subject: MeetingSubject
    latest_assessment: Assessment | None = None
    last_meeting_at: datetime | None = None
    missing_since: list = field(default_factory=list)
    open_actions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    # Open drift flags on the young person's record (the drift engine).
    flags: list = field(default_factory=list)


@dataclass
class MeetingView:
    meeting: Meeting
    participants: list[Participant]
    items: list[AgendaItem]
    withheld: int
    may_manage: bool
    may_read_papers: bool
    locations: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    # A MACE panel's map (None for other meetings and readers with no map).
    network: Network | None = None


def meeting_page(user: User, pk: int) -> MeetingView:
    meeting = (
        access.meetings_visible_to(user)
        .select_related("area", "chair", "request")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return MeetingView(
        meeting=meeting,
        participants=list(meeting.participants.select_related("agency", "user")),
        **_agenda(user, meeting),
        may_manage=access.may_manage_meeting(user, meeting),
        may_read_papers=access.may_read_meeting_papers(user, meeting),
        **meeting_contexts(user, meeting),
        network=meeting_network(user, meeting),
    )


def meeting_contexts(user: User, meeting: Meeting) -> dict:
    """The places and persons of concern a meeting considered, as `user` may
    see them: a restricted person of concern only for those who may see them.
    For the page and for each reader's copy of the papers."""
    return {
        "locations": list(
            access.locations_visible_to(user).filter(meetings=meeting).order_by("name")
        ),
        "persons": list(
            access.persons_of_concern_visible_to(user).filter(meetings=meeting).order_by("name")
        ),
    }


def meeting_network(user: User, meeting: Meeting) -> Network | None:
    """A MACE panel's map: the young people on its agenda, the places and
    persons of concern it considers, and the links among them, as `user` may
    see them. The /network/ selector and access rule narrowed to those nodes,
    so a restricted person is absent for a reader who is not police (or a CSE
    lead) exactly as on /network/, and a child on the agenda from outside the
    reader's districts is left off as it is there. None for other kinds of
    meeting and for readers who have no map."""
    if meeting.kind != MeetingKind.MACE_PANEL or not access.may_see_network(user):
        return None
    return network_within(
        user,
        young_people=MeetingSubject.objects.filter(meeting=meeting).values("young_person_id"),
        persons=meeting.persons.values("pk"),
        locations=meeting.locations.values("pk"),
        today=timezone.localdate(),
        budget=settings.NETWORK_NODE_BUDGET,
    )


def agenda_for(reader: User, meeting: Meeting, *, signed_in: bool = True) -> dict:
    """The agenda as `reader` may see it (the signed-in user, or a recipient)."""
    return _agenda(reader, meeting, signed_in=signed_in)


def _agenda(user: User, meeting: Meeting, *, signed_in: bool = True) -> dict:
    subjects = list(meeting.subjects.select_related("young_person", "minuted_by").order_by("pk"))
    ids = [s.young_person_id for s in subjects]
    visible = set(
        access.visible_young_person_ids(user, ids)
        if signed_in
        else access.young_people_seen_by(user, ids)
    )
    shown = [s for s in subjects if s.young_person_id in visible]
    ids = [s.young_person_id for s in shown]
    items = {s.young_person_id: AgendaItem(subject=s) for s in shown}
    if ids:
        latest = (
            Assessment.objects.filter(
                case__young_person__in=ids, status=AssessmentStatus.SIGNED_OFF
            )
            .select_related("case")
            .order_by("case__young_person_id", "-signed_off_at")
            .distinct("case__young_person_id")
        )
        for assessment in latest:
            items[assessment.case.young_person_id].latest_assessment = assessment
        earlier = (
            MeetingSubject.objects.filter(
                young_person__in=ids,
                meeting__starts_at__lt=meeting.starts_at,
                meeting__status=MeetingStatus.HELD,
            )
            .order_by("young_person_id", "-meeting__starts_at")
            .distinct("young_person_id")
            .values_list("young_person_id", "meeting__starts_at")
        )
        for young_person_id, at in earlier:
            items[young_person_id].last_meeting_at = at
        oldest = min(
            (item.last_meeting_at or meeting.starts_at - AGENDA_LOOKBACK) for item in items.values()
        )
        episodes = MissingEpisode.objects.filter(
            young_person__in=ids, reported_at__gte=oldest, reported_at__lte=meeting.starts_at
        ).order_by("reported_at")
        for episode in episodes:
            item = items[episode.young_person_id]
            if episode.reported_at >= (item.last_meeting_at or meeting.starts_at - AGENDA_LOOKBACK):
                item.missing_since.append(episode)
        actions = (
            Action.objects.filter(young_person__in=ids)
            .filter(Q(meeting=meeting) | Q(status=ActionStatus.OPEN))
            .select_related("owner", "owner_agency")
            .order_by("due_on", "pk")
        )
        for action in actions:
            item = items[action.young_person_id]
            if action.meeting_id == meeting.pk:
                item.actions.append(action)
            else:
                item.open_actions.append(action)
        for young_person_id, flags in flag_selectors.open_flags_about(ids).items():
            items[young_person_id].flags = flags
    return {"items": list(items.values()), "withheld": len(subjects) - len(shown)}


def meetings_for(user: User) -> QuerySet[Meeting]:
    return access.meetings_visible_to(user).select_related("area", "chair").order_by("-starts_at")


def my_actions(user: User) -> QuerySet[Action]:
    """The owner's work list: open first, soonest due first."""
    return (
        access.actions_visible_to(user)
        .filter(owner=user)
        .select_related("young_person", "meeting", "owner_agency")
        .order_by("status", "due_on", "pk")
    )
