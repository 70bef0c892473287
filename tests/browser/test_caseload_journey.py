"""Caseloads and supervision in Chromium (issue 17): Sam opens Team caseloads,
sees Amira over capacity, moves Jade's case to Kit (who has room; Jade's
continuity shown), holds a session with Kit that agrees an action on Jade's
case, and Kit finds the action and writes her private reflection.

Data is set up before ``with chromium() as page`` and checked after it:
Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cse_cases.models import LeadProfessionalSpell, Role
from supervision.models import CaseAllocation, SupervisionSession, WorkerProfile
from tests.browser.test_assessment_journey import new_desk
from tests.browser.test_record_journey import device_key, sign_in
from tests.browser.test_supervision_journey import start_session
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Amira is over capacity; Kit knows the family from school visits."
DECISION = "Kit introduces herself to Jade with Amira this week."
ACTION = "Joint visit to Jade with Amira"
REFLECTION = "Taking on Jade feels right; I want to plan the first visit carefully."


def test_a_supervisor_moves_a_case_to_a_worker_with_room_and_supervises_her(
    journey_day,
    live_server,
    chromium,
    jade,
    jades_case,
    amira,
    sam,
    kingsmere_social_care,
    kingsmere_team,
    kingsmere,
) -> None:
    kit = UserFactory(
        username="kit",
        first_name="Kit",
        last_name="Lowe",
        role=Role.PRACTITIONER,
        agency=kingsmere_social_care,
        team=kingsmere_team,
        areas=[kingsmere],
    )
    LeadProfessionalSpell.objects.create(case=jades_case, user=amira)
    jades_case.risk_level = "high"
    jades_case.save()
    WorkerProfile.objects.create(user=amira, weekly_hours=37, capacity_points=2, updated_by=sam)
    WorkerProfile.objects.create(user=kit, weekly_hours=37, capacity_points=20, updated_by=sam)
    sam_key, kit_key = device_key(sam), device_key(kit)
    today = timezone.localdate()
    with chromium() as page:
        sign_in(page, live_server.url, "sam", sam_key)
        menu = page.get_by_role("navigation", name="Menu")
        menu.get_by_role("link", name="Team caseloads").click()
        caseloads = page.get_by_role("table", name="Caseloads by worker")
        amira_row = caseloads.get_by_role("row", name="Amira Bennett")
        expect(amira_row.get_by_text("Over capacity")).to_be_visible()
        expect(amira_row.get_by_text("3 of 2 points (150%)")).to_be_visible()
        amira_row.get_by_role("link", name="Amira Bennett").click()
        expect(page.get_by_role("heading", name="Caseload of Amira Bennett")).to_be_visible()
        page.get_by_role("link", name=f"Move {jade.display_name}'s case").click()
        continuity = page.locator("#continuity")
        expect(continuity).to_contain_text("has had 1 lead professional in the last 12 months")
        kit_row = page.get_by_role("table", name="Each candidate's load").get_by_role(
            "row", name="Kit Lowe"
        )
        expect(kit_row).to_contain_text("Not in the team around the child")
        expect(kit_row).to_contain_text("3 of 20 points (15%)")
        page.get_by_label("Kit Lowe").check()
        page.get_by_label("Why the case is moving").fill(REASON)
        page.get_by_role("button", name="Move the case").click()
        # Kit is not yet in the team around the child: asked, and nothing typed is lost.
        expect(page.get_by_text("is not in the team around the child").first).to_be_visible()
        expect(page.get_by_label("Why the case is moving")).to_have_value(REASON)
        page.get_by_label("Add them to the team around the child").check()
        page.get_by_role("button", name="Move the case").click()
        expect(page.get_by_text("Kit Lowe is now the lead professional")).to_be_visible()

        menu = page.get_by_role("navigation", name="Menu")
        menu.get_by_role("link", name="Supervision").click()
        start_session(
            page,
            worker="Kit Lowe",
            case=jade.display_name,
            decision=DECISION,
            action=ACTION,
            length=60,
        )
        page.get_by_role("button", name="Save the session").click()
        expect(page.get_by_role("heading", name="Supervision of Kit Lowe")).to_be_visible()

        worker = new_desk(page)
        sign_in(worker, live_server.url, "kit", kit_key)
        expect(worker.locator("#your-case-counts")).to_contain_text("You lead 1 open case")
        worker.goto(f"{live_server.url}/actions/")
        expect(worker.get_by_text(ACTION)).to_be_visible()
        worker.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Supervision"
        ).click()
        worker.get_by_role("link", name=today.strftime("%-d %b %Y")).click()
        worker.get_by_role("link", name="Write your reflection").click()
        worker.get_by_label("Your reflection").fill(REFLECTION)
        worker.get_by_role("button", name="Save your reflection").click()
        expect(worker.get_by_text(REFLECTION)).to_be_visible()

    jades_case.refresh_from_db()
    assert jades_case.lead_professional == kit
    assert CaseAllocation.objects.get().reason == REASON
    session = SupervisionSession.objects.get()
    assert (session.worker, session.worker_reflection) == (kit, REFLECTION)
    assert session.case_discussions.get().actions.get().owner == kit
