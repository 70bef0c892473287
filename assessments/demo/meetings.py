"""Demo multi-agency meetings for each area: a CSE strategy meeting held last
week (attendance, minutes, agreed levels, actions, the record sent), a MACE
panel coming up (with its places and persons of concern), the
strategy discussion a referral decision asked for, and a few actions agreed
outside meetings.

Written through the meeting and action services as the area's CSE lead and
the owners of the actions; the dates each step happened are then set back.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from assessments.demo import words
from assessments.meetings import services
from assessments.models import (
    Action,
    Attendance,
    Distribution,
    Meeting,
    MeetingKind,
    MeetingSubject,
)
from cse_cases.models import RiskLevelChange, User
from cse_cases.wiring.demo.caseload import Caseload, Child
from cse_cases.working_days import add_working_days, is_working_day
from referrals.models import MeetingRequest


def _working_days_from_today(caseload: Caseload, days: int, hour: int) -> datetime:
    """A weekday at `hour`, `days` working days from today (negative: before)."""
    nation = caseload.area.nation
    moment = timezone.make_aware(datetime.combine(caseload.today, time(hour)))
    if days > 0:
        return add_working_days(moment, days, nation)
    while days < 0:
        moment -= timedelta(days=1)
        if is_working_day(moment.date(), nation):
            days += 1
    return moment


def _invite(caseload: Caseload, meeting: Meeting, people: list[User]) -> None:
    lead = caseload.staff.cse_lead
    for person in dict.fromkeys(people):
        if person != lead:
            services.participant_add(by=lead, meeting=meeting, user=person)


def _team_of(children: list[Child]) -> list[User]:
    return [person for child in children for person in child.team()]


def _held(caseload: Caseload, subjects: list[Child]) -> Meeting:
    rng, lead = caseload.rng, caseload.staff.cse_lead
    starts = _working_days_from_today(caseload, -5, 10)
    meeting = services.meeting_schedule(
        by=lead,
        kind=MeetingKind.CSE_STRATEGY_MEETING,
        area=caseload.area,
        starts_at=starts,
        place=f"{caseload.area.name} Civic Centre, meeting room 2",
        young_people=[c.young_person for c in subjects],
    )
    _invite(caseload, meeting, _team_of(subjects))
    attendance = {}
    for n, participant in enumerate(meeting.participants.order_by("pk")):
        attendance[participant.pk] = Attendance.APOLOGIES if n == 3 else Attendance.ATTENDED
    meeting = services.attendance_record(by=lead, meeting=meeting, attendance=attendance)
    ended = starts + timedelta(hours=2)
    for child in subjects:
        subject = MeetingSubject.objects.get(meeting=meeting, young_person=child.young_person)
        services.minutes_save(
            by=lead,
            subject=subject,
            version=subject.version,
            minutes=child.fill(words.HELD_MINUTES),
            young_persons_views=rng.choice(words.MEETING_VIEWS),
            agreed_level=child.level,
            child_protection_enquiries="yes" if child.level == "high" else "no",
            criminal_investigation="yes" if "police" in child.members else "no",
            plan_decision=rng.choice(words.PLAN_DECISIONS),
        )
        # The level agreed at the meeting is the case's from the meeting on.
        latest = RiskLevelChange.objects.filter(case=child.case).order_by("-pk").first()
        RiskLevelChange.objects.filter(pk=latest.pk).update(decided_at=ended)
    MeetingSubject.objects.filter(meeting=meeting).update(minuted_at=ended)
    _actions(caseload, meeting, subjects, agreed=ended)
    services.distribute(by=lead, meeting=meeting, kind="record")
    sent = add_working_days(starts, 1, caseload.area.nation) - timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=starts - timedelta(days=7), record_distributed_at=sent
    )
    Distribution.objects.filter(meeting=meeting).update(sent_at=sent)
    return meeting


def _actions(caseload: Caseload, meeting: Meeting, subjects: list[Child], *, agreed) -> None:
    """What the meeting agreed: one done, one overdue, the rest due soon."""
    lead, today = caseload.staff.cse_lead, caseload.today
    agreed_on = agreed.date()
    due_dates = [agreed_on + timedelta(days=2), agreed_on + timedelta(days=3)]
    due_dates += [today + timedelta(days=d) for d in (4, 9, 14, 21)]
    n = 0
    for child in subjects:
        for part in ["lead", *list(child.members)[:1]]:
            owner = child.writer(part)
            due = due_dates[n % len(due_dates)]
            action = services.action_add(
                by=lead,
                young_person=child.young_person,
                description=child.fill(words.ACTIONS[part]),
                owner=owner,
                due_on=due,
                meeting=meeting,
                confirm_past=True,
            )
            Action.objects.filter(pk=action.pk).update(created_at=agreed)
            if n == 0:
                action = services.action_update(
                    by=owner,
                    action=action,
                    version=action.version,
                    status="done",
                    evidence=words.ACTION_EVIDENCE,
                )
                Action.objects.filter(pk=action.pk).update(
                    completed_at=caseload.office((today - due).days)
                )
            n += 1


def _mace_panel(caseload: Caseload, subjects: list[Child]) -> Meeting:
    lead = caseload.staff.cse_lead
    meeting = services.meeting_schedule(
        by=lead,
        kind=MeetingKind.MACE_PANEL,
        area=caseload.area,
        starts_at=_working_days_from_today(caseload, 6, 14),
        place=f"{caseload.area.name} police station, conference room",
        young_people=[c.young_person for c in subjects],
    )
    staff = caseload.staff
    _invite(
        caseload,
        meeting,
        [*staff.parts.values(), *staff.social_workers, staff.supervisor, *_team_of(subjects)],
    )
    for place in [p for p in caseload.places if p.kind in ("hotel", "takeaway")]:
        services.meeting_context_change(by=lead, meeting=meeting, location=place)
    services.meeting_context_change(by=lead, meeting=meeting, person=caseload.persons[0])
    return meeting


def _requested(caseload: Caseload) -> int:
    """The strategy discussion a referral decision asked for, in two working days."""
    made = 0
    lead = caseload.staff.cse_lead
    for request in MeetingRequest.objects.filter(
        area=caseload.area, status="requested", young_person__isnull=False
    ).select_related("young_person"):
        child = next(c for c in caseload.children if c.young_person.pk == request.young_person_id)
        meeting = services.meeting_schedule(
            by=lead,
            kind=MeetingKind.STRATEGY_DISCUSSION,
            area=caseload.area,
            starts_at=_working_days_from_today(caseload, 2, 11),
            online=True,
            young_people=[request.young_person],
            request=request,
        )
        _invite(caseload, meeting, [*child.team(), caseload.staff.parts["nurse"]])
        made += 1
    return made


def _outside_meetings(caseload: Caseload) -> int:
    """Actions the practitioner persona agreed with colleagues on a visit."""
    made = 0
    today = caseload.today
    mine = [c for c in caseload.children if c.lead == caseload.staff.practitioner and c.members]
    for n, child in enumerate(mine[:2]):
        part = next(iter(child.members))
        for owner, text, days in (
            (child.lead, words.ACTIONS["lead"], 2 + n),
            (child.writer(part), words.ACTIONS[part], 6 + n),
        ):
            services.action_add(
                by=child.lead,
                young_person=child.young_person,
                description=child.fill(text),
                owner=owner,
                due_on=today + timedelta(days=days),
            )
            made += 1
    return made


def seed_meetings(caseload: Caseload) -> int:
    established = [c for c in caseload.children if not c.new]
    high = [c for c in established if c.level == "high"]
    persona = [c for c in high if c.lead == caseload.staff.practitioner]
    held = (persona[:1] + [c for c in high if c not in persona[:1]])[:3]
    later = [c for c in established if c.level == "medium" and c not in held][:2]
    later += [c for c in high if c not in held][:1]
    _held(caseload, held)
    _mace_panel(caseload, later)
    made = 2 + _requested(caseload)
    _outside_meetings(caseload)
    return made
