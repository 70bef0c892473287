"""A MACE panel's map in Chromium, under Harbour's strict CSP: the chair opens
the panel's page and the /network/ page's script draws the places and
persons it considers and the young people on its agenda; selecting a node
opens its record. Any CSP violation or script error in the console fails
the test (tests/browser/conftest.py)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments.meetings import services as meeting_services
from assessments.models import MeetingKind
from cse_cases import services
from tests.browser.network_map import click_node
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set by static/network/map.js when cytoscape has drawn its first frame.
DRAWN = re.compile(r"^\d+$")


@time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=True)
def test_the_chair_sees_the_panels_map_and_opens_a_place(
    live_server, chromium, kingsmere, jo, jade, jades_case
) -> None:
    by = verified(jo)
    hotel = services.location_create(by=by, name="Station Hotel", kind="hotel", area=kingsmere)
    ricky = services.person_of_concern_create(by=by, name="Ricky Vale", area=kingsmere)
    for ends in ({"young_person": jade, "location": hotel}, {"person": ricky, "location": hotel}):
        services.link_create(
            by=by,
            source="Return interview",
            source_grading="1",
            information_grading="B",
            last_seen=timezone.localdate() - timedelta(days=3),
            restricted=False,
            **ends,
        )
    panel = meeting_services.meeting_schedule(
        by=by,
        kind=MeetingKind.MACE_PANEL,
        area=kingsmere,
        starts_at=timezone.now() + timedelta(days=2),
        place="Kingsmere Civic Centre, room 2",
        young_people=[jade],
    )
    meeting_services.meeting_context_change(by=by, meeting=panel, location=hotel)
    meeting_services.meeting_context_change(by=by, meeting=panel, person=ricky)
    # Read before the browser starts: Playwright's loop refuses the ORM.
    key = device_key(jo)
    record = reverse("location", args=[hotel.pk])

    with chromium() as page:
        sign_in(page, live_server.url, "jo", key)
        page.goto(f"{live_server.url}/meetings/{panel.pk}/")
        expect(page.get_by_role("heading", name="Map of what the panel considers")).to_be_visible()
        graph = page.locator("#network-graph")
        expect(graph).to_have_attribute("data-first-frame-ms", DRAWN)
        expect(graph).to_have_attribute("data-nodes", "3")
        expect(page.locator("#meeting-map-nodes tbody tr")).to_have_count(3)
        expect(page.locator("#network-links tbody tr")).to_have_count(2)

        click_node(page, graph, f"location-{hotel.pk}")
        expect(page).to_have_url(f"{live_server.url}{record}")
