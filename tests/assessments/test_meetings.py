"""Meetings: schedule, attendance, minutes per young person, actions, distribution."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments.meetings import services
from assessments.models import (
    Action,
    Attendance,
    Distribution,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from cse_cases.models import Case
from cse_cases.services import NeedsConfirmation, RecordError
from tests.assessments.conftest import agree_action, schedule
from tests.conftest import ORDINARY_TUESDAY, verified

LONDON = ZoneInfo("Europe/London")
# The panel met an hour ago, actions fall due "yesterday" or "in 7 days", a
# record is due a working day after the meeting: from one ordinary working day.
pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)


def test_a_cse_lead_schedules_and_chairs(panel, jo):
    assert panel.chair == jo
    assert panel.subjects.count() == 3
    assert panel.participants.get().role == "Chair"


def test_only_a_cse_lead_of_the_district_schedules(amira, rhian, kingsmere, jade):
    for person in (amira, rhian):
        with pytest.raises(PermissionDenied):
            schedule(person, kingsmere, [jade])


@time_machine.travel("2026-11-24 10:00 +00:00", tick=False)  # the Tuesday after
def test_the_record_is_due_one_working_day_after_a_friday_meeting(jo, kingsmere, jade):
    friday = datetime(2026, 11, 20, 14, 0, tzinfo=LONDON)
    meeting = schedule(jo, kingsmere, [jade], starts_at=friday)
    assert timezone.localtime(meeting.record_due_at) == datetime(2026, 11, 23, 14, 0, tzinfo=LONDON)


def test_a_meeting_needs_a_place_or_online(jo, kingsmere, jade):
    with pytest.raises(RecordError, match="Say where the meeting is"):
        services.meeting_schedule(
            by=verified(jo),
            kind=MeetingKind.STRATEGY_DISCUSSION,
            area=kingsmere,
            starts_at=timezone.now(),
            young_people=[jade],
        )


def test_an_external_attendee_is_recorded_with_no_access(panel, jo):
    person = services.participant_add(
        by=verified(jo),
        meeting=panel,
        name="Dr Priya Shah",
        agency_name="Kingsmere GP practice",
        role="GP",
    )
    assert person.external
    assert person.user is None
    with pytest.raises(RecordError, match="name and agency"):
        services.participant_add(by=verified(jo), meeting=panel, name="Someone")


def test_a_strategy_discussion_without_police_needs_a_reason(jo, kingsmere, jade, grace):
    meeting = schedule(jo, kingsmere, [jade], starts_at=timezone.now() - timedelta(minutes=5))
    nurse = services.participant_add(
        by=verified(jo), meeting=meeting, user=grace, role="School nurse"
    )
    chair = meeting.participants.get(user=jo)
    marks = {chair.pk: Attendance.ATTENDED, nurse.pk: Attendance.ATTENDED}
    with pytest.raises(RecordError, match="Not present: police") as caught:
        services.attendance_record(by=verified(jo), meeting=meeting, attendance=marks)
    assert caught.value.field == "core_agencies_note"
    held = services.attendance_record(
        by=verified(jo),
        meeting=meeting,
        attendance=marks,
        core_agencies_note="Police joined the follow-up call at 3pm instead.",
    )
    assert held.status == MeetingStatus.HELD


def test_minutes_with_an_agreed_level_go_onto_the_case(panel, jo, jade, jades_case):
    subject = panel.subjects.get(young_person=jade)
    services.minutes_save(
        by=verified(jo),
        subject=subject,
        version=subject.version,
        minutes="Jade was seen with two adults at the station.",
        agreed_level="high",
        child_protection_enquiries="yes",
        criminal_investigation="yes",
    )
    assert Case.objects.get(pk=jades_case.pk).risk_level == "high"
    assert "Agreed at the MACE panel" in jades_case.risk_history.get().rationale
    assert Meeting.objects.get(pk=panel.pk).status == MeetingStatus.HELD


def test_a_young_person_with_minutes_cannot_be_removed(panel, jo, jade):
    subject = panel.subjects.get(young_person=jade)
    services.minutes_save(by=verified(jo), subject=subject, version=1, minutes="Discussed.")
    with pytest.raises(RecordError, match="cannot be removed"):
        services.subject_remove(by=verified(jo), subject=subject)
    other = panel.subjects.exclude(young_person=jade).first()
    services.subject_remove(by=verified(jo), subject=other)
    assert panel.subjects.count() == 2


def test_an_action_due_in_the_past_is_warned_then_recorded(panel, jo, jade, grace):
    with pytest.raises(NeedsConfirmation, match="is in the past"):
        agree_action(panel, by=jo, young_person=jade, owner=grace, in_days=-1)
    action = agree_action(
        panel, by=jo, young_person=jade, owner=grace, in_days=-1, confirm_past=True
    )
    assert action.owner_agency == grace.agency


def test_an_action_owner_must_be_able_to_see_the_young_person(panel, jo, jade, ben):
    """Ben works in Kingsmere but not with Jade: he owns the action only by
    joining the team around her, which the chair may do in the same step."""
    agreed = {
        "by": verified(jo),
        "meeting": panel,
        "young_person": jade,
        "description": "Talk to Jade's school",
        "owner": ben,
        "due_on": timezone.localdate() + timedelta(days=7),
    }
    with pytest.raises(RecordError, match="so could not see their record") as caught:
        services.action_add(**agreed)
    assert caught.value.field == "owner"
    assert not Action.objects.exists()
    action = services.action_add(**agreed, add_owner_to_team=True)
    assert action.owner == ben
    assert jade.cases.get().members.filter(user=ben, removed_at__isnull=True).exists()


def test_an_action_is_done_only_with_evidence(
    panel, jo, jade, grace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        action = agree_action(
            panel, by=jo, young_person=jade, owner=grace, description="Sexual health appointment"
        )
    assert len(callbacks) == 1  # the owner is told once it commits (a task)
    assert services.action_notice_send(action_id=action.pk)
    assert mail.outbox[-1].to == [grace.email]
    assert "Jade" not in mail.outbox[-1].body
    with pytest.raises(RecordError, match="evidence"):
        services.action_update(by=verified(grace), action=action, version=1, status="done")
    done = services.action_update(
        by=verified(grace), action=action, version=1, status="done", evidence="Seen on 3 December."
    )
    assert done.completed_at is not None


def test_distribution_withholds_children_the_recipient_may_not_see(
    panel, jo, grace, ben, jade, django_capture_on_commit_callbacks
):
    # Ben works in Kingsmere, so may be invited, but sees none of the three.
    services.participant_add(by=verified(jo), meeting=panel, user=grace)
    services.participant_add(by=verified(jo), meeting=panel, user=ben)
    chair = panel.participants.get(user=jo)
    services.attendance_record(by=verified(jo), meeting=panel, attendance={chair.pk: "attended"})
    with django_capture_on_commit_callbacks() as callbacks:
        sent = services.distribute(by=verified(jo), meeting=panel, kind="record")
    assert len(callbacks) == 1
    for distribution in sent:
        services.distribution_notice_send(distribution_id=distribution.pk)
    by_user = {d.recipient: d for d in sent}
    assert by_user[ben].withheld == 3
    assert list(by_user[ben].young_people.all()) == []
    assert list(by_user[grace].young_people.all()) == [jade]
    assert by_user[grace].withheld == 2
    assert by_user[jo].withheld == 0
    assert Meeting.objects.get(pk=panel.pk).record_distributed_at is not None
    assert len(mail.outbox) == 3
    assert all("Jade" not in m.body for m in mail.outbox)
    assert Distribution.objects.count() == 3


def test_the_record_cannot_be_distributed_before_the_meeting_is_held(jo, kingsmere, jade):
    meeting = schedule(
        jo,
        kingsmere,
        [jade],
        kind=MeetingKind.CSE_STRATEGY_MEETING,
        starts_at=timezone.now() + timedelta(days=2),
    )
    with pytest.raises(RecordError, match="before distributing the record"):
        services.distribute(by=verified(jo), meeting=meeting, kind="record")
    assert services.distribute(by=verified(jo), meeting=meeting, kind="pack")


def test_actions_for_the_owner_are_set_by_one_query(panel, jo, jade, grace):
    for n in range(3):
        agree_action(
            panel, by=jo, young_person=jade, owner=grace, description=f"Step {n}", in_days=n + 1
        )
    from assessments.meetings.selectors import my_actions

    assert [a.description for a in my_actions(verified(grace))] == ["Step 0", "Step 1", "Step 2"]
    assert Action.objects.filter(owner=grace).count() == 3


def test_decisions_and_actions_appear_on_the_childs_chronology(panel, jo, jade, grace, ben):
    from cse_cases import chronology

    subject = panel.subjects.get(young_person=jade)
    services.minutes_save(
        by=verified(jo),
        subject=subject,
        version=1,
        minutes="Discussed",
        agreed_level="high",
        criminal_investigation="yes",
    )
    agree_action(
        panel,
        by=jo,
        young_person=jade,
        owner=grace,
        description="Book a sexual health appointment",
        in_days=3,
    )
    kinds = {e.kind: e for e in chronology.timeline(verified(grace), jade)}
    assert kinds["meeting"].title == "MACE panel: level agreed high, criminal investigation"
    assert kinds["action"].body == "Book a sexual health appointment"
    assert not [
        e for e in chronology.timeline(verified(ben), jade) if e.kind in ("meeting", "action")
    ]


def test_people_invited_are_told_when_a_meeting_moves_without_any_names(
    panel, jo, grace, jade, django_capture_on_commit_callbacks
):
    services.participant_add(by=verified(jo), meeting=panel, user=grace)
    services.participant_add(
        by=verified(jo), meeting=panel, name="Dr Shah", agency_name="GP practice"
    )
    later = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks() as callbacks:
        services.meeting_reschedule(by=verified(jo), meeting=panel, starts_at=later, place="Room 5")
    assert len(callbacks) == 1  # the notices are sent as tasks once the move commits
    # Grace; not Jo, who moved it, nor Dr Shah, who is outside Harbour.
    assert services.people_to_tell_of_a_move(panel, jo) == [grace.pk]
    mail.outbox.clear()
    assert services.meeting_moved_notice_send(meeting_id=panel.pk, user_id=grace.pk)
    (notice,) = mail.outbox
    assert notice.to == [grace.email]
    assert "has moved" in notice.subject
    assert "Room 5" in notice.body
    assert f"/meetings/{panel.pk}/" in notice.body
    for young_person in [jade, *[s.young_person for s in panel.subjects.all()]]:
        assert young_person.legal_last_name not in notice.body
        assert young_person.legal_first_name not in notice.body
    # A meeting cancelled before the email goes sends nothing.
    services.meeting_cancel(by=verified(jo), meeting=panel, reason="Chair unwell")
    assert not services.meeting_moved_notice_send(meeting_id=panel.pk, user_id=grace.pk)
