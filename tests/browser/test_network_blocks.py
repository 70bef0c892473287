"""A map over NETWORK_FORCE_LAYOUT_NODES in Chromium (static/network/map.js):
drawn group by group at once without its links, the reader told why it looks
as it does, every link drawn when the reader asks, and a node still opens
its record. The limit is lowered to three so that a small map takes the
large path (at 5,000 nodes the force layout held the page for ten seconds:
benchmarks/bench_profile.py)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from playwright.sync_api import expect

from cse_cases import services
from tests.browser.network_map import click_node
from tests.browser.test_network_journey import _link
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import verified
from tests.factories import CaseFactory, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=True)
@override_settings(NETWORK_FORCE_LAYOUT_NODES=3)
def test_a_large_map_is_drawn_in_blocks_and_gets_every_link(
    live_server, chromium, kingsmere, jo, ben, jade, jades_case
) -> None:
    by = verified(jo)
    hotel = services.location_create(by=by, name="Station Hotel", kind="hotel", area=kingsmere)
    park = services.location_create(by=by, name="Kings Park", kind="park", area=kingsmere)
    leah = YoungPersonFactory(legal_first_name="Leah", legal_last_name="Price", area=kingsmere)
    CaseFactory(young_person=leah, lead_professional=ben)
    # Two groups: Jade and Leah at the hotel; Leah's friend at the park.
    mia = YoungPersonFactory(legal_first_name="Mia", legal_last_name="Stone", area=kingsmere)
    CaseFactory(young_person=mia, lead_professional=ben)
    _link(jo, young_person=jade, location=hotel, days_ago=5)
    _link(jo, young_person=leah, location=hotel, days_ago=6)
    _link(jo, young_person=mia, location=park, days_ago=7)
    key = device_key(jo)

    with chromium() as page:
        sign_in(page, live_server.url, "jo", key)
        page.goto(f"{live_server.url}/network/")
        graph = page.locator("#network-graph")
        expect(graph).to_have_attribute("data-first-frame-ms", re.compile(r"^\d+$"))
        expect(graph).to_have_attribute("data-nodes", "5")
        expect(graph).to_have_attribute("data-laid-out", "true")
        expect(page.locator("#network-blocks")).to_contain_text("This map has 5 nodes")
        assert page.evaluate("window.harbourNetworkMap.edges().length") == 0
        expect(page.locator("#network-draw-links")).to_be_visible()
        # The two groups stand apart: the park's block is not the hotel's.
        places = page.evaluate(
            """keys => keys.map(k => window.harbourNetworkMap.getElementById(k).position())""",
            [f"location-{hotel.pk}", f"location-{park.pk}", f"yp-{jade.pk}"],
        )
        hotel_at, park_at, jade_at = places

        def apart(a: dict, b: dict) -> float:
            return ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5

        assert apart(jade_at, hotel_at) < apart(hotel_at, park_at), places
        page.get_by_role("button", name="Draw the 3 links").click()
        expect(graph).to_have_attribute("data-edges", "3")
        expect(graph).to_have_attribute("data-links-ms", re.compile(r"^\d+$"))
        expect(page.locator("#network-draw-links")).to_be_hidden()
        expect(page.locator("#network-links-status")).to_have_text("All 3 links are drawn.")
        expect(page.locator("#network-links-status")).to_be_focused()
        click_node(page, graph, f"yp-{jade.pk}")
        expect(page).to_have_url(f"{live_server.url}/young-people/{jade.pk}/")
