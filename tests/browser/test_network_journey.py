"""The network map in Chromium, under Harbour's strict CSP: Kingsmere's CSE
lead opens the map, filters to the last 90 days, focuses the Station Hotel,
sees the three young people and the person of concern linked to it, opens
a child's record by selecting her node on the drawing, then reads the
problem profile's places section with the Station Hotel at the top (four
young people linked: the three, and Tia, whose link is old) and no child
named. Any CSP violation or script error in the console fails the test
(tests/browser/conftest.py)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cse_cases import services
from cse_cases.models import AuditEvent
from tests.browser.network_map import click_node
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import verified
from tests.factories import CaseFactory, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set by static/network/map.js when cytoscape has drawn its first frame.
DRAWN = re.compile(r"^\d+$")


def _link(by, *, days_ago: int, **ends) -> None:
    services.link_create(
        by=verified(by),
        source="Return interview",
        source_grading="1",
        information_grading="B",
        last_seen=timezone.localdate() - timedelta(days=days_ago),
        restricted=False,
        **ends,
    )


@time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=True)
def test_cse_lead_focuses_a_place_on_the_map_and_opens_a_childs_record(
    live_server, chromium, kingsmere, jo, amira, ben, jade, jades_case
) -> None:
    by = verified(jo)
    hotel = services.location_create(by=by, name="Station Hotel", kind="hotel", area=kingsmere)
    park = services.location_create(by=by, name="Kings Park", kind="park", area=kingsmere)
    ricky = services.person_of_concern_create(by=by, name="Ricky Vale", area=kingsmere)
    children = [jade]
    for first in ("Leah", "Mia"):
        child = YoungPersonFactory(legal_first_name=first, legal_last_name="Price", area=kingsmere)
        CaseFactory(young_person=child, lead_professional=ben)
        children.append(child)
    for child in children:
        _link(jo, young_person=child, location=hotel, days_ago=10)
    _link(jo, person=ricky, location=hotel, days_ago=20)
    # Seen long ago, and somewhere else: neither is on the focused map.
    old = YoungPersonFactory(legal_first_name="Tia", legal_last_name="Old", area=kingsmere)
    CaseFactory(young_person=old, lead_professional=ben)
    _link(jo, young_person=old, location=hotel, days_ago=400)
    _link(jo, young_person=jade, location=park, days_ago=300)
    key = device_key(jo)

    with chromium() as page:
        sign_in(page, live_server.url, "jo", key)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Network map").click()
        expect(page.get_by_role("heading", name="Network map")).to_be_visible()
        expect(page.locator("#network-graph")).to_have_attribute("data-first-frame-ms", DRAWN)
        expect(page.locator("#network-nodes")).to_contain_text("Tia Old")

        page.get_by_label("Links seen in the last").fill("90")
        page.get_by_role("button", name="Show the map").click()
        nodes = page.locator("#network-nodes")
        expect(nodes).not_to_contain_text("Tia Old")
        expect(nodes).not_to_contain_text("Kings Park")

        nodes.get_by_role("link", name="Focus on Station Hotel").click()
        expect(page.locator("#network-focus")).to_be_visible()
        rows = page.locator("#network-nodes tbody tr")
        expect(rows).to_have_count(5)
        for name in ("Jade Morgan", "Leah Price", "Mia Price", "Ricky Vale", "Station Hotel"):
            expect(nodes).to_contain_text(name)
        graph = page.locator("#network-graph")
        expect(graph).to_have_attribute("data-nodes", "5")
        expect(graph).to_have_attribute("data-first-frame-ms", DRAWN)

        # Select Jade's node on the drawing, once laid out: her record opens.
        click_node(page, graph, f"yp-{jade.pk}")
        expect(page).to_have_url(f"{live_server.url}/young-people/{jade.pk}/")
        expect(page.get_by_role("heading", name=re.compile("^Jade Morgan"))).to_be_visible()

        # The same picture in figures: this quarter so far, for Kingsmere.
        menu = page.get_by_role("navigation", name="Menu")
        menu.get_by_role("link", name="Problem profile").click()
        page.get_by_role("button", name="Show the profile").click()
        expect(
            page.get_by_role("heading", name=re.compile("^Problem profile: Kingsmere"))
        ).to_be_visible()
        page.get_by_role("navigation", name="Contents").get_by_role(
            "link", name="Places and online spaces"
        ).click()
        ranked = page.locator('[id="table-profile.places.by_young_people"] tbody tr')
        expect(ranked.first.locator("th")).to_have_text(
            "Station Hotel (Hotel or short-stay accommodation)"
        )
        expect(ranked.first.locator("td").first).to_have_text("4")
        expect(ranked.nth(1).locator("th")).to_have_text("Kings Park (Park or open space)")
        main = page.locator("main")
        for name in ("Jade Morgan", "Leah Price", "Mia Price", "Tia Old", "Ricky Vale"):
            expect(main).not_to_contain_text(name)

    shown = AuditEvent.objects.filter(object_type="network", username="jo", detail="network map")
    assert set(shown.values_list("young_person_id", flat=True)) == {c.pk for c in children} | {
        old.pk
    }
