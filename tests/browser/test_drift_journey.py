"""The drift engine in Chromium: an overdue return interview is flagged on
Amira's "my work" page and on her supervisor's team view; she follows the
flag to the episode, records the interview (a wrong time first, which loses
nothing typed), and the next sweep clears the flag.

Data is set up before ``with chromium() as page`` and checked after it:
Playwright's event loop forbids ORM calls inside the block, so the sweep
that Celery beat would run is run in a thread of its own.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from cse_cases import services as core
from supervision import services
from supervision.models import Flag
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import verified
from tests.supervision.conftest import record_returned_episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def sweep_as_beat_would() -> None:
    errors: list[Exception] = []

    def run() -> None:
        try:
            services.flags_sweep(now=timezone.now())
        except Exception as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def test_a_flag_is_followed_to_its_record_and_clears_when_the_work_is_done(
    journey_day, live_server, chromium, jade, jades_case, amira, sam, grace
) -> None:
    core.case_risk_set(by=verified(amira), case=jades_case, level="high", rationale="Worried")
    episode = record_returned_episode(by=amira, young_person=jade, days_ago=4)
    services.flags_sweep(now=timezone.now())
    assert Flag.objects.filter(kind="return_interview", resolved_at__isnull=True).count() == 1
    amira_key, sam_key = device_key(amira), device_key(sam)
    offered = episode.returned_at + timedelta(hours=80)

    with chromium() as page:
        # Sam, Amira's supervisor: the team view counts her overdue interview.
        sign_in(page, live_server.url, "sam", sam_key)
        page.goto(f"{live_server.url}/team/flags/")
        team = page.locator("main")
        expect(team).to_contain_text("Amira Bennett")
        expect(team).to_contain_text("Return interview overdue")
        page.context.close()

        page = page.context.browser.new_context(
            locale="en-GB", timezone_id="Europe/London"
        ).new_page()
        sign_in(page, live_server.url, "amira", amira_key)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="My work").click()
        flags = page.locator("#my-flags")
        expect(flags).to_contain_text("Jade")
        expect(flags).to_contain_text("High risk")
        flags.get_by_role("link", name="Return interview overdue").click()

        page.get_by_role("link", name="Record the return interview").click()
        page.get_by_label("Offered at").fill(local(offered))
        page.get_by_label("Interviewer").select_option(value=str(grace.pk))
        page.locator("#id_interviewer_relationship_0").check()  # independent
        page.locator("#id_outcome_0").check()  # held
        page.get_by_label("Held at").fill(local(offered - timedelta(hours=3)))
        page.get_by_label("Held where").fill("School nurse's room")
        page.get_by_label("The young person's own words").fill("I just want it to stop.")
        page.get_by_role("button", name="Save the interview").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "The interview is held after it was offered"
        )
        # Nothing typed is lost.
        expect(page.get_by_label("The young person's own words")).to_have_value(
            "I just want it to stop."
        )
        expect(page.get_by_label("Held where")).to_have_value("School nurse's room")
        page.get_by_label("Held at").fill(local(offered + timedelta(hours=1)))
        page.get_by_role("button", name="Save the interview").click()
        expect(page.locator("#return-interview")).to_contain_text("Held")

        sweep_as_beat_would()
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="My work").click()
        expect(page.locator("#my-flags")).to_contain_text("Nothing overdue")
        page.context.close()

    flag = Flag.objects.get(kind="return_interview")
    assert flag.resolved_at is not None
    assert flag.resolution == "The condition cleared"
