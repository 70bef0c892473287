"""Every write to a meeting: schedule, move, cancel, invite, record
attendance, add and remove young people, minute each one, and the places and
persons of concern it considers. What goes out from it is in distribution.py;
actions are in actions.py.

Each function asks cse_cases/access.py, runs in one transaction and writes
its audit row; email goes out on commit.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from assessments.models import (
    LEVELS,
    Action,
    Attendance,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingSubject,
    Participant,
)
from assessments.text import check_text
from cse_cases import access, audit, background
from cse_cases import services as core
from cse_cases.models import (
    Agency,
    AgencyKind,
    Area,
    AuditAction,
    CaseStatus,
    Location,
    PersonOfConcern,
    User,
    YoungPerson,
)
from cse_cases.services import EditConflict, RecordError
from cse_cases.working_days import add_working_days

if TYPE_CHECKING:  # imported where used at run time (referrals loads after assessments)
    from referrals.models import MeetingRequest

# A strategy discussion needs these agencies present (Working Together).
CORE_AGENCIES = (AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.POLICE, AgencyKind.HEALTH)
FURTHEST_AHEAD = timedelta(days=366)
LONGEST_AGO = timedelta(days=90)
LONDON = ZoneInfo("Europe/London")


def meeting_day_starts(meeting: Meeting) -> datetime:
    """00:00 London time on the meeting's date: from then on, who came and
    what was said may be recorded. Meetings start early or run on the day as
    people arrive, so the chair is not held to the booked minute; what is
    refused is recording a meeting on a day before it."""
    day = meeting.starts_at.astimezone(LONDON).date()
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _require_meeting_day(meeting: Meeting, what: str, field: str) -> None:
    opens = meeting_day_starts(meeting)
    if timezone.now() < opens:
        raise RecordError(
            f"{what} can be recorded from the start of the day of the meeting, "
            f"{opens:%A %-d %B %Y}: the meeting has not happened yet.",
            field=field,
        )


def _manage(by: User, meeting: Meeting) -> None:
    if not access.may_manage_meeting(by, meeting):
        raise PermissionDenied


def _audit_meeting(
    by: User, meeting: Meeting, action: AuditAction, detail: str, ids: list[int]
) -> None:
    audit.record(user=by, action=action, obj=meeting, detail=detail)
    audit.record_many(
        user=by, action=action, object_type="meeting", young_person_ids=ids, detail=detail
    )


def _subject_for(by: User, meeting: Meeting, young_person: YoungPerson) -> MeetingSubject:
    if not access.young_people_visible_to(by).filter(pk=young_person.pk).exists():
        raise RecordError("No such young person.", field="young_person")
    try:
        with transaction.atomic():
            return MeetingSubject.objects.create(meeting=meeting, young_person=young_person)
    except IntegrityError:
        raise RecordError(
            f"{young_person.display_name} is already on this meeting's agenda.",
            field="young_person",
        ) from None


def _check_when_and_where(*, starts_at: datetime, place: str, online: bool) -> None:
    now = timezone.now()
    if starts_at > now + FURTHEST_AHEAD:
        raise RecordError(
            "The meeting is more than a year away: check the date.", field="starts_at"
        )
    if starts_at < now - LONGEST_AGO:
        raise RecordError(
            "The meeting is more than 90 days ago: check the date.", field="starts_at"
        )
    if not place.strip() and not online:
        raise RecordError("Say where the meeting is, or that it is online.", field="place")


@transaction.atomic
def meeting_schedule(
    *,
    by: User,
    kind: str,
    area: Area,
    starts_at: datetime,
    place: str = "",
    online: bool = False,
    young_people: list[YoungPerson] | tuple = (),
    request: MeetingRequest | None = None,
) -> Meeting:
    """A CSE lead of the area schedules and chairs the meeting."""
    if not access.may_chair_meetings_in(by, area):
        raise PermissionDenied
    _check_when_and_where(starts_at=starts_at, place=place, online=online)
    if kind != MeetingKind.MACE_PANEL and not young_people:
        raise RecordError("Choose the young person this meeting is about.", field="young_people")
    meeting = Meeting.objects.create(
        kind=kind,
        area=area,
        starts_at=starts_at,
        place=check_text("place", place.strip(), 300),
        online=online,
        chair=by,
        created_by=by,
        request=request,
        record_due_at=add_working_days(starts_at, 1, area.nation),
    )
    Participant.objects.create(
        meeting=meeting,
        user=by,
        name=str(by),
        agency_id=by.agency_id,
        agency_name=by.agency.name if by.agency else "",
        role="Chair",
    )
    for young_person in young_people:
        _subject_for(by, meeting, young_person)
    if request is not None:
        from referrals.models import MeetingRequestStatus

        type(request).objects.filter(pk=request.pk).update(status=MeetingRequestStatus.SCHEDULED)
    _audit_meeting(
        by, meeting, AuditAction.CREATE, "meeting scheduled", [yp.pk for yp in young_people]
    )
    return meeting


@transaction.atomic
def meeting_reschedule(
    *, by: User, meeting: Meeting, starts_at: datetime, place: str = "", online: bool = False
) -> Meeting:
    """Move a scheduled meeting: its time, place or the online link. The
    record then falls due one working day after the new time."""
    _manage(by, meeting)
    meeting = Meeting.objects.select_for_update().select_related("area").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise RecordError(
            f"This meeting is {meeting.get_status_display().lower()}, so it cannot be moved: "
            "schedule a new one.",
            field="starts_at",
        )
    _check_when_and_where(starts_at=starts_at, place=place, online=online)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts_at,
        place=check_text("place", place.strip(), 300),
        online=online,
        record_due_at=add_working_days(starts_at, 1, meeting.area.nation),
        version=F("version") + 1,
    )
    meeting.refresh_from_db()
    invited = people_to_tell_of_a_move(meeting, by)
    transaction.on_commit(lambda: _notify_move(meeting.pk, invited))
    _audit_meeting(
        by,
        meeting,
        AuditAction.CHANGE,
        f"meeting moved to {timezone.localtime(starts_at):%d %b %Y %H:%M}",
        list(meeting.subjects.values_list("young_person_id", flat=True)),
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, by: User, meeting: Meeting, reason: str) -> Meeting:
    _manage(by, meeting)
    if not reason.strip():
        raise RecordError("Say why the meeting is cancelled.", field="reason")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise RecordError("Only a scheduled meeting can be cancelled.")
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CANCELLED, version=F("version") + 1
    )
    audit.record(user=by, action=AuditAction.CHANGE, obj=meeting, reason=reason, detail="cancelled")
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def participant_add(
    *,
    by: User,
    meeting: Meeting,
    user: User | None = None,
    name: str = "",
    agency: Agency | None = None,
    agency_name: str = "",
    role: str = "",
) -> Participant:
    """Invite a Harbour user, or record someone from outside Harbour by name and
    agency. Being on the list grants nothing: each person sees only the young
    people they already may."""
    _manage(by, meeting)
    if user is not None:
        if not access.works_with_records(user):
            # Not named: an API caller could otherwise read anyone's name by id.
            raise RecordError(
                "The person chosen does not work with children's records.", field="user"
            )
        if not access.may_be_invited(user, meeting):
            raise RecordError(
                f"The person chosen does not work in {meeting.area.name} and sees no young "
                "person on this meeting's agenda, so cannot be invited as someone who uses "
                "Harbour: add them by name and agency, as someone outside Harbour.",
                field="user",
            )
        name, agency = str(user), user.agency
        agency_name = agency.name if agency else ""
    else:
        name = name.strip()
        agency_name = (agency.name if agency else agency_name).strip()
        if not name or not agency_name:
            raise RecordError(
                "Give the name and agency of someone outside Harbour.",
                field="name" if not name else "agency_name",
            )
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                meeting=meeting,
                user=user,
                name=check_text("name", name, 200),
                agency=agency,
                agency_name=check_text("agency_name", agency_name, 200),
                role=check_text("role", role.strip(), 200),
            )
    except IntegrityError:
        raise RecordError(f"{name} is already on the list.", field="user") from None
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=meeting,
        fields_changed={"participants": ["", f"added {name} ({agency_name})"]},
    )
    return participant


def _missing_core_agencies(meeting: Meeting) -> list[str]:
    present = set(
        meeting.participants.filter(
            attendance=Attendance.ATTENDED, agency__isnull=False
        ).values_list("agency__kind", flat=True)
    )
    return [AgencyKind(kind).label.lower() for kind in CORE_AGENCIES if kind not in present]


@transaction.atomic
def attendance_record(
    *, by: User, meeting: Meeting, attendance: dict[int, str], core_agencies_note: str = ""
) -> Meeting:
    """Who came, who sent apologies; the meeting is then held."""
    _manage(by, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise RecordError("The meeting was cancelled.")
    _require_meeting_day(meeting, "Attendance", "attendance")
    participants = {p.pk: p for p in meeting.participants.all()}
    for pk, value in attendance.items():
        if pk not in participants or value not in Attendance.values:
            raise RecordError("Choose attended, apologies or did not attend.", field="attendance")
        participants[pk].attendance = value
    Participant.objects.bulk_update(participants.values(), ["attendance"])
    meeting.core_agencies_note = check_text("core_agencies_note", core_agencies_note.strip())
    if meeting.kind == MeetingKind.STRATEGY_DISCUSSION and not meeting.core_agencies_note:
        missing = _missing_core_agencies(meeting)
        if missing:
            raise RecordError(
                "A strategy discussion needs children's social care, police and health. "
                f"Not present: {', '.join(missing)}. Record why, or mark who attended.",
                field="core_agencies_note",
            )
    meeting.status = MeetingStatus.HELD
    meeting.version = F("version") + 1
    meeting.save(update_fields=["core_agencies_note", "status", "version"])
    meeting.refresh_from_db()
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=meeting,
        fields_changed={"attendance": ["", f"{len(attendance)} recorded"]},
    )
    return meeting


@transaction.atomic
def subject_add(*, by: User, meeting: Meeting, young_person: YoungPerson) -> MeetingSubject:
    _manage(by, meeting)
    subject = _subject_for(by, meeting, young_person)
    _audit_meeting(by, meeting, AuditAction.CHANGE, "young person added", [young_person.pk])
    return subject


@transaction.atomic
def subject_remove(*, by: User, subject: MeetingSubject) -> None:
    _manage(by, subject.meeting)
    subject = MeetingSubject.objects.select_for_update().get(pk=subject.pk)
    name = subject.young_person.display_name
    if (
        subject.has_minutes
        or Action.objects.filter(
            meeting=subject.meeting_id, young_person=subject.young_person_id
        ).exists()
    ):
        raise RecordError(
            f"{name} has minutes or actions in this meeting, so they cannot be removed: the "
            "record must show they were discussed. Correct the minutes instead."
        )
    subject.delete()
    _audit_meeting(
        by, subject.meeting, AuditAction.CHANGE, "young person removed", [subject.young_person_id]
    )


@transaction.atomic
def minutes_save(
    *,
    by: User,
    subject: MeetingSubject,
    version: int,
    minutes: str = "",
    young_persons_views: str = "",
    agreed_level: str = "",
    child_protection_enquiries: str = "",
    criminal_investigation: str = "",
    plan_decision: str = "",
) -> MeetingSubject:
    """One young person's minutes and the decisions about them. An agreed level
    goes onto their open case, with the meeting as its rationale."""
    _manage(by, subject.meeting)
    subject = (
        MeetingSubject.objects.select_for_update(of=("self",))
        .select_related("meeting", "young_person", "minuted_by")
        .get(pk=subject.pk)
    )
    meeting = subject.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise RecordError("The meeting was cancelled.")
    _require_meeting_day(meeting, "Minutes", "minutes")
    if version != subject.version and subject.minuted_by_id != by.pk:
        conflict = EditConflict(subject)
        conflict.args = (
            f"{subject.minuted_by} saved these minutes while you were writing. What you "
            "typed is below and has not been lost: compare it with theirs, then save again.",
        )
        raise conflict
    if agreed_level and agreed_level not in LEVELS:
        raise RecordError("Choose low, medium or high.", field="agreed_level")
    for name, value in (
        ("child_protection_enquiries", child_protection_enquiries),
        ("criminal_investigation", criminal_investigation),
    ):
        if value and value not in Decision.values:
            raise RecordError("Choose yes or no.", field=name)
    level_changed = agreed_level and agreed_level != subject.agreed_level
    subject.minutes = check_text("minutes", minutes)
    subject.young_persons_views = check_text("young_persons_views", young_persons_views)
    subject.agreed_level = agreed_level
    subject.child_protection_enquiries = child_protection_enquiries
    subject.criminal_investigation = criminal_investigation
    subject.plan_decision = check_text("plan_decision", plan_decision)
    subject.minuted_by = by
    subject.minuted_at = timezone.now()
    subject.version = F("version") + 1
    subject.save()
    subject.refresh_from_db(fields=["version"])
    if meeting.status == MeetingStatus.SCHEDULED:
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=subject,
        young_person_id=subject.young_person_id,
        fields_changed={"minutes": ["", "edited"]},
    )
    if level_changed:
        case = subject.young_person.cases.filter(status=CaseStatus.OPEN).first()
        if case is not None:
            core.case_risk_agreed(
                by=by,
                case=case,
                level=agreed_level,
                rationale=f"Agreed at the {meeting} (chair {meeting.chair}).",
            )
    return subject


def people_to_tell_of_a_move(meeting: Meeting, by: User) -> list[int]:
    """The Harbour users invited, except whoever moved it; people outside
    Harbour are told by the chair, as they were invited."""
    return list(
        meeting.participants.filter(user__isnull=False)
        .exclude(user=by)
        .values_list("user_id", flat=True)
    )


def _notify_move(meeting_id: int, user_ids: list[int]) -> None:
    for user_id in user_ids:
        background.send("assessments.tasks.send_meeting_moved_notice", meeting_id, user_id)


@transaction.atomic
def meeting_context_change(
    *,
    by: User,
    meeting: Meeting,
    location: Location | None = None,
    person: PersonOfConcern | None = None,
    remove: bool = False,
) -> Meeting:
    """Places and persons of concern a MACE panel considers. A restricted person
    of concern is added only by someone who may see them, and shown only to
    those who may."""
    _manage(by, meeting)
    if location is None and person is None:
        raise RecordError("Choose a place or a person of concern.", field="location")
    if (
        person is not None
        and not access.persons_of_concern_visible_to(by).filter(pk=person.pk).exists()
    ):
        raise RecordError("No such person of concern.", field="person")
    if location is not None:
        (meeting.locations.remove if remove else meeting.locations.add)(location)
    if person is not None:
        (meeting.persons.remove if remove else meeting.persons.add)(person)
    what = ", ".join(str(x) for x in (location, person) if x is not None)
    audit.record(
        user=by,
        action=AuditAction.CHANGE,
        obj=meeting,
        fields_changed={"contexts": ["", f"{'removed' if remove else 'added'} {what}"]},
    )
    return meeting
