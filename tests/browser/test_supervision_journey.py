"""Reflective supervision in Chromium: Sam opens Supervision, sees Amira is
due, records a session with her (Jade's case discussed, an action agreed for
Amira, her support and wellbeing recorded); Amira finds the action on her
list, reads the session and writes her own reflection.

Device keys are read before ``with chromium() as page`` and the database is
checked after it: Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from supervision.sessions.models import SupervisionSession
from tests.browser.dates import fill_date
from tests.browser.test_assessment_journey import new_desk
from tests.browser.test_record_journey import device_key, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUPPORT = "A hard fortnight: two late-night visits and a difficult strategy meeting."
DECISION = "Keep weekly visits; ask Jo for a MACE referral."
ACTION = "Make the MACE referral for Jade"
REFLECTION = "I want to say no to extra evening work until the new worker starts."


def start_session(page: Page, *, worker: str, case: str, decision: str, action: str, length: int):
    """On Supervision: a session today with `worker`, one case discussed with
    an action for the worker due in a week (the caller saves it)."""
    today = timezone.localdate()
    page.get_by_role("link", name=f"Record a session with {worker}").click()
    fill_date(page, "Date of the session", today)
    page.get_by_label("Length (minutes)").fill(str(length))
    page.get_by_label("One-to-one").check()
    first = page.get_by_role("group", name="Case 1")
    first.get_by_label("Case discussed").select_option(label=case)
    first.get_by_label("Decision").fill(decision)
    first.get_by_label("Action agreed (optional)").fill(action)
    first.get_by_label("Who owns the action").select_option(
        label=f"{worker} (Kingsmere Children's Services, Exploitation Team)"
    )
    due = today + timedelta(days=7)
    due_group = first.get_by_role("group", name="Action due by", exact=True)
    due_group.get_by_label("Day").fill(str(due.day))
    due_group.get_by_label("Month").fill(str(due.month))
    due_group.get_by_label("Year").fill(str(due.year))


def test_a_supervisor_holds_a_session_and_the_worker_reflects(
    live_server, chromium, jade, jades_case, amira, sam
) -> None:
    sam_key, amira_key = device_key(sam), device_key(amira)
    today = timezone.localdate()
    with chromium() as page:
        sign_in(page, live_server.url, "sam", sam_key)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Supervision").click()
        expect(page.get_by_role("heading", name="The workers you supervise")).to_be_visible()
        start_session(
            page,
            worker="Amira Bennett",
            case=jade.display_name,
            decision=DECISION,
            action=ACTION,
            length=70,
        )
        page.get_by_label("Support: wellbeing, the emotional impact of the work, workload").fill(
            SUPPORT
        )
        page.get_by_label("3", exact=True).check()
        page.get_by_role("button", name="Save the session").click()
        expect(page.get_by_role("heading", name="Supervision of Amira Bennett")).to_be_visible()
        expect(page.get_by_text(SUPPORT)).to_be_visible()
        expect(page.get_by_text(DECISION)).to_be_visible()

        worker = new_desk(page)
        sign_in(worker, live_server.url, "amira", amira_key)
        worker.goto(f"{live_server.url}/actions/")
        expect(worker.get_by_text(ACTION)).to_be_visible()
        worker.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Supervision"
        ).click()
        worker.get_by_role("link", name=today.strftime("%-d %b %Y")).click()
        expect(worker.get_by_text(SUPPORT)).to_be_visible()
        worker.get_by_role("link", name="Write your reflection").click()
        worker.get_by_label("Your reflection").fill(REFLECTION)
        worker.get_by_role("button", name="Save your reflection").click()
        expect(worker.get_by_text(REFLECTION)).to_be_visible()

    session = SupervisionSession.objects.get()
    assert session.worker_reflection == REFLECTION
    assert session.case_discussions.get().actions.get().description == ACTION
