"""Attendance and minutes are recorded from 00:00 London time on the meeting's
date: not before, on the page and in the API alike (issue 15, item 5).

The meeting is at 14:00 on Tuesday 8 December 2026; the clock is frozen at the
moments either side of that day's start, and in summer time, where London's
midnight is 23:00 UTC the day before.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from assessments.meetings import services
from assessments.models import MeetingKind, MeetingStatus
from cse_cases.services import RecordError
from tests.conftest import signed_in_client, verified

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
MEETING_AT = datetime(2026, 12, 8, 14, 0, tzinfo=LONDON)
THE_EVENING_BEFORE = datetime(2026, 12, 7, 23, 59, tzinfo=LONDON)
THE_DAYS_START = datetime(2026, 12, 8, 0, 0, tzinfo=LONDON)
REFUSED = (
    "Attendance can be recorded from the start of the day of the meeting, "
    "Tuesday 8 December 2026: the meeting has not happened yet."
)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def strategy_meeting(jo, jade, jades_case, kingsmere):
    """Scheduled a week ahead, for 14:00 on Tuesday 8 December."""
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=LONDON), tick=False):
        return services.meeting_schedule(
            by=verified(jo),
            kind=MeetingKind.CSE_STRATEGY_MEETING,
            area=kingsmere,
            starts_at=MEETING_AT,
            online=True,
            young_people=[jade],
        )


def chair_marks(meeting) -> dict[int, str]:
    return {meeting.participants.get().pk: "attended"}


def test_the_service_refuses_attendance_the_evening_before(strategy_meeting, jo):
    marks = chair_marks(strategy_meeting)
    with time_machine.travel(THE_EVENING_BEFORE, tick=False), pytest.raises(RecordError) as refused:
        services.attendance_record(by=verified(jo), meeting=strategy_meeting, attendance=marks)
    assert str(refused.value) == REFUSED
    assert refused.value.field == "attendance"
    strategy_meeting.refresh_from_db()
    assert strategy_meeting.status == MeetingStatus.SCHEDULED


def test_attendance_is_recorded_from_midnight_on_the_day_hours_before_the_start(
    strategy_meeting, jo
):
    with time_machine.travel(THE_DAYS_START, tick=False):
        held = services.attendance_record(
            by=verified(jo), meeting=strategy_meeting, attendance=chair_marks(strategy_meeting)
        )
    assert held.status == MeetingStatus.HELD


def test_minutes_follow_the_same_day_rule(strategy_meeting, jo, jade):
    subject = strategy_meeting.subjects.get(young_person=jade)
    with time_machine.travel(THE_EVENING_BEFORE, tick=False), pytest.raises(RecordError) as refused:
        services.minutes_save(by=verified(jo), subject=subject, version=1, minutes="Shared")
    assert "Minutes can be recorded from the start of the day of the meeting" in str(refused.value)
    with time_machine.travel(THE_DAYS_START, tick=False):
        saved = services.minutes_save(by=verified(jo), subject=subject, version=1, minutes="Shared")
    assert saved.minutes == "Shared"


def test_the_day_is_londons_in_summer_time_too(jo, jade, jades_case, kingsmere):
    """At 23:30 UTC on 9 June it is already 00:30 on 10 June in London."""
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=LONDON), tick=False):
        meeting = services.meeting_schedule(
            by=verified(jo),
            kind=MeetingKind.CSE_STRATEGY_MEETING,
            area=kingsmere,
            starts_at=datetime(2026, 6, 10, 9, 30, tzinfo=LONDON),
            online=True,
            young_people=[jade],
        )
    before = time_machine.travel(datetime(2026, 6, 9, 22, 59, tzinfo=UTC), tick=False)
    with before, pytest.raises(RecordError):
        services.attendance_record(by=verified(jo), meeting=meeting, attendance={})
    with time_machine.travel(datetime(2026, 6, 9, 23, 0, tzinfo=UTC), tick=False):
        held = services.attendance_record(by=verified(jo), meeting=meeting, attendance={})
    assert held.status == MeetingStatus.HELD


def test_the_page_says_when_attendance_opens_and_refuses_it_before(strategy_meeting, jo):
    # Signed in inside each frozen moment: a session idle for days is signed out.
    url = reverse("meeting", args=[strategy_meeting.pk])
    attendance = reverse("meeting-attendance", args=[strategy_meeting.pk])
    field = f"attendance-{strategy_meeting.participants.get().pk}"
    with time_machine.travel(THE_EVENING_BEFORE, tick=False):
        client = signed_in_client(jo)
        page = text(client.get(url))
        assert (
            "Attendance and minutes can be recorded from the start of the day of the meeting, "
            "Tuesday 8 December 2026." in page
        )
        refused = text(client.post(attendance, {field: "attended"}, follow=True))
        assert REFUSED in refused
    with time_machine.travel(THE_DAYS_START, tick=False):
        client = signed_in_client(jo)
        assert 'id="recording-opens"' not in text(client.get(url))
        recorded = text(client.post(attendance, {field: "attended"}, follow=True))
        assert "Attendance recorded." in recorded
    strategy_meeting.refresh_from_db()
    assert strategy_meeting.status == MeetingStatus.HELD


def test_the_api_refuses_attendance_before_the_day_and_takes_it_from_its_start(
    strategy_meeting, jo
):
    url = reverse("meeting-api-attendance", args=[strategy_meeting.pk])
    body = {"attendance": {str(strategy_meeting.participants.get().pk): "attended"}}
    with time_machine.travel(THE_EVENING_BEFORE, tick=False):
        refused = signed_in_client(jo).post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert REFUSED in str(refused.json())
    with time_machine.travel(THE_DAYS_START, tick=False):
        held = signed_in_client(jo).post(url, body, content_type="application/json")
    assert held.status_code == 200, held.json()
    assert held.json()["status"] == "held"
