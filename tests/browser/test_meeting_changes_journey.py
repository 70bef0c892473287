"""Changing a meeting in Chromium: the CSE lead gives an action to someone outside
the team around the child and adds them to it in the same step; and moves a
meeting on its own day, recording attendance that morning. (The MACE panel from
scheduling to the downloaded record is tests/browser/test_meeting_journey.py,
whose page helpers these journeys share.)

Set-up and device keys come before ``with chromium() as page`` and the database
is checked after it: Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from assessments.meetings import services as meeting_services
from assessments.models import Action, Attendance, MeetingKind
from cse_cases.models import CaseMember
from tests.browser.dates import expect_date, fill_date
from tests.browser.test_meeting_journey import (
    AMIRA,
    GRACE,
    JADE,
    PLACE,
    banner,
    new_desk,
    open_nav,
    section_of,
)
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEN_ACTION = "Ask Jade's school whether the grey car has been seen again"
BEN_WAITING = (
    "Ben Carter (Kingsmere Children's Services): cannot see this young person's record yet"
)


def test_cse_lead_chooses_an_action_owner_and_adds_them_to_the_team_around_the_child(
    live_server, chromium, kingsmere, jo, amira, grace, ben, tom, jade, jades_case
) -> None:
    """The owner list names each person with agency and team, leaves out other
    districts, and says who cannot see Jade's record yet; choosing Ben is
    refused until Jo ticks to add him to the team around Jade, in the same step."""
    meeting = meeting_services.meeting_schedule(
        by=verified(jo),
        kind=MeetingKind.CSE_STRATEGY_MEETING,
        area=kingsmere,
        starts_at=timezone.now() - timedelta(minutes=30),
        place=PLACE,
        young_people=[jade],
    )
    jo_key, ben_key = device_key(jo), device_key(ben)
    due = timezone.localdate() + timedelta(days=10)

    with chromium() as page:
        sign_in(page, live_server.url, "jo", jo_key)
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
        page.get_by_role("link", name=f"Agree an action for {JADE}").click()
        expect(page.get_by_role("heading", name=f"Agree an action for {JADE}")).to_be_visible()
        owner = page.get_by_label("Owner", exact=True)
        for label in (AMIRA, GRACE, BEN_WAITING):
            expect(owner.locator("option", has_text=label)).to_have_count(1)
        expect(owner).not_to_contain_text("Tom Okafor")
        # Said before submitting: who cannot see the record, and the way to add them.
        expect(page.get_by_text("could not read the action until they join it")).to_be_visible()
        add_to_team = page.get_by_label(
            "If the owner cannot see this young person's record yet, add them to the team "
            "around the child"
        )
        expect(add_to_team).not_to_be_checked()

        page.get_by_label("What is to be done").fill(BEN_ACTION)
        owner.select_option(label=BEN_WAITING)
        fill_date(page, "Due by", due)
        page.get_by_role("button", name="Agree the action").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text(
            f"Ben Carter is not in the team around {JADE}, so could not see their record"
        )
        expect(page.get_by_label("What is to be done")).to_have_value(BEN_ACTION)

        page.get_by_label(
            "If the owner cannot see this young person's record yet, add them to the team "
            "around the child"
        ).check()
        page.get_by_role("button", name="Agree the action").click()
        expect(banner(page)).to_contain_text("Action agreed.")
        expect(section_of(page, JADE)).to_contain_text(BEN_ACTION)
        page.context.close()

        # Ben, at his own desk, has the action and can now read Jade's record.
        page = new_desk(page)
        sign_in(page, live_server.url, "ben", ben_key)
        open_nav(page, "Your actions")
        expect(page.locator("#my-actions tbody tr")).to_have_count(1)
        expect(page.locator("#my-actions")).to_contain_text(BEN_ACTION)
        page.goto(f"{live_server.url}/young-people/{jade.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Jade Morgan")
        page.context.close()

    action = Action.objects.get()
    assert (action.owner, action.meeting, action.due_on) == (ben, meeting, due)
    assert CaseMember.objects.filter(case=jades_case, user=ben, removed_at__isnull=True).exists()


@time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=True)
def test_cse_lead_moves_a_meeting_from_its_current_date_and_records_attendance_that_morning(
    live_server, chromium, kingsmere, jo, amira, jade, jades_case
) -> None:
    """Item 5 in the browser: "Team flags" is in Jo's navigation; attendance
    can be recorded from the start of the meeting's day, hours before it
    begins; the move form starts from the meeting's date and time (it used to
    be blank). Time is frozen at 9am on a Tuesday, with the clock running, so
    the meeting at 14:30 is always later the same day (the live server runs in
    this process, so it sees the same clock)."""
    london = ZoneInfo("Europe/London")
    starts = datetime(2026, 12, 8, 14, 30, tzinfo=london)
    meeting = meeting_services.meeting_schedule(
        by=verified(jo),
        kind=MeetingKind.CSE_STRATEGY_MEETING,
        area=kingsmere,
        starts_at=starts,
        place=PLACE,
        young_people=[jade],
    )
    jo_key = device_key(jo)

    with chromium() as page:
        sign_in(page, live_server.url, "jo", jo_key)
        nav = page.get_by_role("navigation", name="Menu")
        expect(nav.get_by_role("link", name="Team flags")).to_be_visible()
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
        page.get_by_role("link", name="Move the meeting").click()
        expect_date(page, "Date", starts.date())
        expect(page.get_by_label("Start time")).to_have_value("14:30")
        page.get_by_label("Start time").fill("11:15")
        page.get_by_role("button", name="Move the meeting").click()
        expect(banner(page)).to_contain_text("The meeting is moved to 8 December 2026, 11:15")
        # At 9am, before the meeting begins, on its day: attendance can be recorded.
        expect(page.locator("#recording-opens")).to_have_count(0)
        page.get_by_label("Attendance of Jo Marsh").select_option(label="Attended")
        page.get_by_role("button", name="Save attendance").click()
        expect(banner(page)).to_contain_text("Attendance recorded.")

    meeting.refresh_from_db()
    assert meeting.starts_at == datetime(2026, 12, 8, 11, 15, tzinfo=london)
    assert meeting.participants.get(user=jo).attendance == Attendance.ATTENDED
