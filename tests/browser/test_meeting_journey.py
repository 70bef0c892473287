"""A MACE panel in Chromium: the lead professional writes Jade's plan; Kingsmere's
CSE lead schedules a panel for three young people, invites the network, records
attendance, minutes, agreed levels and actions; the actions appear on their
owners' lists; the plan is reviewed to version 2; the record is downloaded as a
PDF and its text checked. (Giving an action to someone outside the team, and
moving a meeting, are tests/browser/test_meeting_changes_journey.py.)

Set-up and device keys come before ``with chromium() as page`` and the database
is checked after it: Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments.models import (
    Action,
    Attendance,
    Distribution,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PlanVersion,
)
from tests.browser.dates import fill_date
from tests.browser.test_record_journey import device_key, sign_in
from tests.factories import CaseFactory, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JADE = "Jade Morgan (known as JJ)"
TIA = "Tia Roberts"
CALLUM = "Callum Hayes"
PLACE = "Kingsmere Civic Centre, room 2"
OFFICER = "Lee Cole"

JADE_MINUTES = "Police shared that a grey car has collected Jade from school three times."
JADE_VIEWS = "I don't want him to get in trouble, he looks after me."
JADE_PLAN_DECISION = "Review the plan this week: add the disruption agreed today."
TIA_MINUTES = "Tia has been going missing overnight; her school reports falling attendance."
CALLUM_MINUTES = "Callum is settled at his new placement and in school every day."

AMIRA_ACTION = "Visit Jade at home with her mum and agree a safety plan"
GRACE_ACTION = "Offer Jade a sexual health appointment with the school nurse"
TIA_ACTION = "Arrange a return interview after each missing episode"

NEEDS = "Jade needs a trusted adult and to be safe from the man who drives her."
SUPPORT = "Weekly visits from her social worker; the school nurse sees her at school."
DISRUPTION = "Police to check the car's registration."
DISRUPTION_V2 = "Police to check the car's registration and serve an abduction notice."


def new_desk(page: Page) -> Page:
    """Another person at their own desk: a second browser context (a fresh
    session; a security code cannot be used twice within 30 seconds)."""
    context = page.context.browser.new_context(locale="en-GB", timezone_id="Europe/London")
    return context.new_page()


def banner(page: Page):
    return page.locator(".govuk-notification-banner")


def section_of(page: Page, name: str):
    """One young person's part of the meeting page."""
    return page.locator("section", has=page.get_by_role("heading", name=name, exact=True))


def add_to_agenda(page: Page, search: str, name: str) -> None:
    page.get_by_role("link", name="Add a young person to the agenda").click()
    expect(page.get_by_role("heading", name="Add a young person")).to_be_visible()
    page.get_by_label("Name, date of birth or identifier").fill(search)
    page.get_by_role("button", name="Search").click()
    page.locator("#results").get_by_role("button", name=f"Add {name}").click()
    expect(banner(page)).to_contain_text(f"{name} added to the agenda.")


AMIRA = "Amira Bennett (Kingsmere Children's Services, Exploitation Team)"
GRACE = "Grace Adeyemi (Kingsmere and Afon Health Board)"


def invite(page: Page, *, person: str = "", name: str = "", agency: str = "", role: str = ""):
    """`person`: a Harbour user's name; the list shows it with agency and team."""
    page.get_by_text("Invite someone").click()
    if person:
        page.get_by_label("Someone who uses Harbour").select_option(
            label={"Amira Bennett": AMIRA, "Grace Adeyemi": GRACE}.get(person, person)
        )
    else:
        page.get_by_label("Or the name of someone outside Harbour").fill(name)
        page.get_by_label("Or the agency's name").fill(agency)
    if role:
        page.get_by_label("Role", exact=True).fill(role)
    page.get_by_role("button", name="Add to the list").click()
    expect(banner(page)).to_contain_text(f"{person or name} added.")


def write_minutes(
    page: Page,
    name: str,
    minutes: str,
    *,
    views: str = "",
    level: str = "",
    enquiries: str = "",
    investigation: str = "",
    plan: str = "",
) -> None:
    page.get_by_role("link", name=f"Minutes and decisions for {name}").click()
    expect(page.get_by_role("heading", name=f"Minutes for {name}")).to_be_visible()
    page.get_by_label("Minutes", exact=True).fill(minutes)
    if views:
        page.get_by_label("The young person's views, in their own words").fill(views)
    if level:
        page.get_by_role("group", name="Agreed level of risk").get_by_label(
            level, exact=True
        ).check()
    if enquiries:
        page.get_by_role("group", name="Child protection enquiries (section 47)").get_by_label(
            enquiries, exact=True
        ).check()
    if investigation:
        page.get_by_role("group", name="Criminal investigation").get_by_label(
            investigation, exact=True
        ).check()
    if plan:
        page.get_by_label("Decision about the plan").fill(plan)
    page.get_by_role("button", name="Save minutes").click()
    expect(banner(page)).to_contain_text(f"Minutes saved for {name}.")


def agree_action(page: Page, name: str, what: str, owner: str, due: str) -> None:
    page.get_by_role("link", name=f"Agree an action for {name}").click()
    expect(page.get_by_role("heading", name=f"Agree an action for {name}")).to_be_visible()
    page.get_by_label("What is to be done").fill(what)
    page.get_by_label("Owner", exact=True).select_option(label=owner)
    fill_date(page, "Due by", due)
    page.get_by_role("button", name="Agree the action").click()
    expect(banner(page)).to_contain_text("Action agreed.")
    expect(section_of(page, name)).to_contain_text(what)


def open_nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=label).click()


def test_cse_lead_runs_a_mace_panel_actions_reach_owners_plan_reviewed_record_downloaded(
    journey_day, live_server, chromium, kingsmere, jo, amira, grace, jade, jades_case
) -> None:
    # Two more young people in Kingsmere, both with open cases Amira leads.
    tia = YoungPersonFactory(
        legal_first_name="Tia", legal_last_name="Roberts", area=kingsmere, created_by=amira
    )
    callum = YoungPersonFactory(
        legal_first_name="Callum", legal_last_name="Hayes", area=kingsmere, created_by=amira
    )
    tias_case = CaseFactory(young_person=tia, lead_professional=amira)
    CaseFactory(young_person=callum, lead_professional=amira)
    jo_key, amira_key, grace_key = device_key(jo), device_key(amira), device_key(grace)
    record_url = f"{live_server.url}/young-people/{jade.pk}/"

    # The panel began an hour ago (minutes are written at or after a meeting).
    started = timezone.localtime() - timedelta(hours=1)
    today = timezone.localdate()
    in_a_week, in_a_fortnight = today + timedelta(days=7), today + timedelta(days=14)
    review_v1, review_v2 = today + timedelta(days=90), today + timedelta(days=42)

    with chromium() as page:
        # Amira, Jade's lead professional, writes the first plan.
        sign_in(page, live_server.url, "amira", amira_key)
        page.goto(record_url)
        page.locator("#plan-and-meetings").get_by_role("link", name="See Me, Hear Me plan").click()
        expect(page.get_by_role("heading", name="See Me, Hear Me plan")).to_be_visible()
        expect(page.get_by_text("No plan yet.")).to_be_visible()
        page.get_by_role("link", name="Write the plan").click()
        expect(page.get_by_role("heading", name="Write the plan")).to_be_visible()
        page.get_by_label("Needs and the outcomes wanted", exact=True).fill(NEEDS)
        page.get_by_label("Support for the young person", exact=True).fill(SUPPORT)
        page.get_by_label("Disruption and investigation", exact=True).fill(DISRUPTION)
        # Only the lead professional and the team around Jade may be her worker.
        worker = page.get_by_label("The young person's consistent worker")
        expect(worker.locator("option")).to_have_text(["Choose a person", GRACE, AMIRA])
        worker.select_option(label=AMIRA)
        fill_date(page, "Review by", review_v1)
        page.get_by_role("button", name="Save the plan").click()
        expect(banner(page)).to_contain_text("Plan version 1 saved.")
        expect(page.locator("#plan-version")).to_contain_text("Version 1, by Amira Bennett")
        expect(page.locator("#consistent-worker")).to_have_text("Amira Bennett")
        amira_page = page

        # Jo, Kingsmere's CSE lead, schedules a MACE panel.
        page = new_desk(page)
        sign_in(page, live_server.url, "jo", jo_key)
        open_nav(page, "Meetings")
        expect(page.get_by_role("heading", name="Meetings", exact=True)).to_be_visible()
        page.get_by_role("link", name="Schedule a meeting").click()
        expect(page.get_by_role("heading", name="Schedule a meeting")).to_be_visible()
        page.get_by_role("group", name="Kind of meeting").get_by_label("MACE panel").check()
        page.get_by_label("District").select_option(label="Kingsmere")
        fill_date(page, "Date", started.date())
        page.get_by_label("Start time").fill(started.strftime("%H:%M"))
        page.get_by_label("Place").fill(PLACE)
        page.get_by_role("button", name="Schedule").click()
        expect(banner(page)).to_contain_text("Meeting scheduled.")
        expect(page.get_by_role("heading", name="MACE panel", level=1)).to_be_visible()
        summary = page.locator("#meeting-summary")
        expect(summary).to_contain_text("Scheduled")
        expect(summary).to_contain_text(PLACE)
        expect(summary).to_contain_text("Chair: Jo Marsh.")
        expect(page.get_by_text("No young person is on the agenda yet.")).to_be_visible()
        meeting_url = page.url
        assert re.search(r"/meetings/\d+/$", meeting_url), meeting_url

        # Three young people on the agenda.
        add_to_agenda(page, "Morgan", JADE)
        add_to_agenda(page, "Roberts", TIA)
        add_to_agenda(page, "Hayes", CALLUM)
        expect(page.get_by_text("Agenda from the record")).to_have_count(3)

        # The network: two Harbour users and a police officer outside Harbour.
        invite(page, person="Amira Bennett", role="Social worker")
        invite(page, person="Grace Adeyemi", role="School nurse")
        invite(page, name=OFFICER, agency="Kingsmere Police", role="Exploitation sergeant")
        participants = page.locator("#participants")
        expect(participants.locator("tbody tr")).to_have_count(4)
        expect(participants.locator("tr", has_text=OFFICER)).to_contain_text("Outside Harbour")

        # Attendance: the meeting is then held.
        for person in ("Jo Marsh", "Amira Bennett", OFFICER):
            page.get_by_label(f"Attendance of {person}").select_option(label="Attended")
        page.get_by_label("Attendance of Grace Adeyemi").select_option(label="Sent apologies")
        page.get_by_role("button", name="Save attendance").click()
        expect(banner(page)).to_contain_text("Attendance recorded.")
        expect(summary).to_contain_text("Held")
        expect(page.get_by_label("Attendance of Grace Adeyemi")).to_have_value("apologies")
        expect(page.locator("#record-distribution")).to_contain_text(
            "The record is due to attendees by"
        )

        # Minutes and the agreed levels, young person by young person.
        write_minutes(
            page,
            JADE,
            JADE_MINUTES,
            views=JADE_VIEWS,
            level="High",
            enquiries="Yes",
            investigation="Yes",
            plan=JADE_PLAN_DECISION,
        )
        write_minutes(page, TIA, TIA_MINUTES, level="Medium", enquiries="No")
        write_minutes(page, CALLUM, CALLUM_MINUTES, level="Low")
        jade_part = section_of(page, JADE)
        expect(jade_part).to_contain_text(JADE_MINUTES)
        expect(jade_part).to_contain_text(JADE_VIEWS)
        expect(jade_part).to_contain_text("Agreed level of risk: High")
        expect(jade_part).to_contain_text("Child protection enquiries: Yes")
        expect(jade_part).to_contain_text("Criminal investigation: Yes")
        expect(jade_part).to_contain_text(f"Plan: {JADE_PLAN_DECISION}")
        expect(section_of(page, TIA)).to_contain_text("Agreed level of risk: Medium")
        expect(section_of(page, CALLUM)).to_contain_text("Agreed level of risk: Low")

        # Actions, each with an owner who can see the young person.
        social_worker, nurse = AMIRA, GRACE
        agree_action(page, JADE, AMIRA_ACTION, social_worker, in_a_week.isoformat())
        agree_action(page, JADE, GRACE_ACTION, nurse, in_a_fortnight.isoformat())
        agree_action(page, TIA, TIA_ACTION, social_worker, in_a_fortnight.isoformat())
        expect(jade_part).to_contain_text(
            f"{GRACE_ACTION}: Grace Adeyemi (Kingsmere and Afon Health Board), "
            f"by {in_a_fortnight.day} {in_a_fortnight:%b %Y}"
        )

        # The record as a PDF: every young person, the minutes and the decisions.
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the record (PDF)").click()
        assert re.fullmatch(
            rf"meeting-\d+-record-{started:%Y-%m-%d}\.pdf", download.value.suggested_filename
        ), download.value.suggested_filename
        reader = PdfReader(download.value.path())
        words = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
        assert "Record of the meeting: MACE panel" in words, words
        for name in (JADE, TIA, CALLUM):
            assert name in words, (name, words)
        for text in (
            JADE_MINUTES,
            JADE_VIEWS,
            TIA_MINUTES,
            CALLUM_MINUTES,
            "Agreed level of risk: High",
            "Agreed level of risk: Medium",
            "Child protection enquiries: Yes",
            AMIRA_ACTION,
            OFFICER,
            "Sent apologies",
        ):
            assert text in words, (text, words)

        # Distributed to the Harbour users on the list; Grace's copy holds only Jade.
        page.get_by_role("button", name="Distribute the record").click()
        expect(banner(page)).to_contain_text("The record of the meeting was sent to 3 people.")
        expect(banner(page)).to_contain_text("1 of them")
        expect(page.locator("#record-distribution")).to_contain_text("Record distributed")
        open_nav(page, "Meetings")
        row = page.locator("#meetings tbody tr", has_text="MACE panel")
        expect(row).to_contain_text("Held")
        expect(row).to_contain_text("Jo Marsh")
        page.context.close()

        # Amira's actions are on her list, not Grace's.
        page = amira_page
        open_nav(page, "Your actions")
        expect(page.get_by_role("heading", name="Your actions")).to_be_visible()
        mine = page.locator("#my-actions tbody tr")
        expect(mine).to_have_count(2)
        expect(mine.nth(0)).to_contain_text(AMIRA_ACTION)
        expect(mine.nth(0)).to_contain_text(JADE)
        expect(mine.nth(1)).to_contain_text(TIA_ACTION)
        expect(mine.nth(1)).to_contain_text(TIA)
        expect(page.locator("#my-actions")).not_to_contain_text(GRACE_ACTION)
        page.get_by_role("link", name=AMIRA_ACTION).click()
        expect(page.get_by_role("heading", name="Action", exact=True)).to_be_visible()
        expect(page.locator("#action-status")).to_have_text("Open")

        # The panel's level is on Jade's record; Amira reviews the plan to version 2.
        page.goto(record_url)
        expect(page.locator("#risk-history")).to_contain_text("High")
        expect(page.locator("#risk-history")).to_contain_text("Agreed at the MACE panel")
        page.locator("#plan-and-meetings").get_by_role("link", name="See Me, Hear Me plan").click()
        page.get_by_role("link", name="Review the plan").click()
        expect(page.get_by_role("heading", name="Review the plan (version 1 to 2)")).to_be_visible()
        expect(page.get_by_label("Needs and the outcomes wanted", exact=True)).to_have_value(NEEDS)
        page.get_by_label("Disruption and investigation", exact=True).fill(DISRUPTION_V2)
        page.get_by_label("The young person's consistent worker").select_option(label=GRACE)
        fill_date(page, "Review by", review_v2)
        page.get_by_label("What this review found").fill(JADE_PLAN_DECISION)
        page.get_by_role("button", name="Save the plan").click()
        expect(banner(page)).to_contain_text("Plan version 2 saved.")
        expect(page.locator("#plan-version")).to_contain_text("Version 2, by Amira Bennett")
        expect(page.locator("#consistent-worker")).to_have_text("Grace Adeyemi")
        expect(page.get_by_role("heading", name="What this review changed")).to_be_visible()
        changes = page.locator("#plan-changes")
        disruption = changes.locator(
            ".govuk-summary-list__row", has_text="Disruption and investigation"
        )
        expect(disruption.locator("ins")).to_have_text(
            ["registration and serve an abduction notice."]
        )
        expect(disruption.locator("del")).to_have_text(["registration."])
        worker_change = changes.locator(".govuk-summary-list__row", has_text="Consistent worker")
        expect(worker_change.locator("del")).to_contain_text("Amira Bennett")
        expect(worker_change.locator("ins")).to_contain_text("Grace Adeyemi")
        expect(changes).to_contain_text("Review date")
        expect(page.locator("#plan-versions li")).to_have_count(2)
        page.get_by_role("link", name="Version 1", exact=True).click()
        expect(page.get_by_role("heading", name="Version 1")).to_be_visible()
        expect(page.get_by_text("the current plan is version 2")).to_be_visible()
        expect(page.locator("#plan-sections")).to_contain_text(DISRUPTION)

        # Grace, at her own desk, finds her action on her list, and only hers.
        page = new_desk(page)
        sign_in(page, live_server.url, "grace", grace_key)
        open_nav(page, "Your actions")
        theirs = page.locator("#my-actions tbody tr")
        expect(theirs).to_have_count(1)
        expect(theirs).to_contain_text(GRACE_ACTION)
        expect(theirs).to_contain_text(JADE)
        # She sees Jade's part of the meeting, and no more.
        page.goto(meeting_url)
        expect(page.locator("#withheld")).to_contain_text("2 other young people")
        expect(page.locator("body")).not_to_contain_text("Roberts")
        expect(page.locator("body")).not_to_contain_text("Hayes")
        page.context.close()

    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.status, meeting.chair) == (
        MeetingKind.MACE_PANEL,
        MeetingStatus.HELD,
        jo,
    )
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == started.strftime(
        "%Y-%m-%d %H:%M"
    )
    assert meeting.record_distributed_at is not None
    assert dict(meeting.participants.values_list("name", "attendance")) == {
        "Jo Marsh": Attendance.ATTENDED,
        "Amira Bennett": Attendance.ATTENDED,
        "Grace Adeyemi": Attendance.APOLOGIES,
        OFFICER: Attendance.ATTENDED,
    }
    assert meeting.participants.get(name=OFFICER).user is None
    levels = dict(meeting.subjects.values_list("young_person__legal_first_name", "agreed_level"))
    assert levels == {"Jade": "high", "Tia": "medium", "Callum": "low"}
    jade_subject = meeting.subjects.get(young_person=jade)
    assert (jade_subject.minuted_by, jade_subject.minutes) == (jo, JADE_MINUTES)
    assert (jade_subject.child_protection_enquiries, jade_subject.criminal_investigation) == (
        "yes",
        "yes",
    )
    jades_case.refresh_from_db()
    tias_case.refresh_from_db()
    assert (jades_case.risk_level, tias_case.risk_level) == ("high", "medium")
    owners = {a.description: (a.owner, a.young_person, a.due_on) for a in Action.objects.all()}
    assert owners == {
        AMIRA_ACTION: (amira, jade, in_a_week),
        GRACE_ACTION: (grace, jade, in_a_fortnight),
        TIA_ACTION: (amira, tia, in_a_fortnight),
    }
    assert all(a.meeting_id == meeting.pk for a in Action.objects.all())
    withheld = dict(Distribution.objects.values_list("recipient__username", "withheld"))
    assert withheld == {"jo": 0, "amira": 0, "grace": 2}
    versions = PlanVersion.objects.filter(plan__case=jades_case).order_by("number")
    assert [(v.number, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert (versions[1].disruption_and_investigation, versions[1].consistent_worker) == (
        DISRUPTION_V2,
        grace,
    )
    assert (versions[0].review_on, versions[1].review_on) == (review_v1, review_v2)
