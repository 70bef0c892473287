"""A missing episode in Chromium: a police officer records it and the return;
an independent worker records the return home interview; the record and the
chronology show both.

Data is set up before ``with chromium() as page`` and checked after it:
Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cse_cases.models import AgencyKind, CaseMember, MissingEpisode, Role
from tests.browser.test_record_journey import device_key, sign_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_police_record_the_episode_and_an_independent_worker_the_interview(
    journey_day, live_server, chromium, jade, jades_case, amira, kingsmere
) -> None:
    police = AgencyFactory(name="Kingsmere Police", kind=AgencyKind.POLICE, areas=[kingsmere])
    lee = UserFactory(
        username="lee",
        first_name="Lee",
        last_name="Shaw",
        role=Role.PRACTITIONER,
        agency=police,
        areas=[kingsmere],
        job_title="Missing persons officer",
    )
    charity = AgencyFactory(name="Safe Steps", kind=AgencyKind.VOLUNTARY, areas=[kingsmere])
    vic = UserFactory(
        username="vic",
        first_name="Vic",
        last_name="Adams",
        role=Role.PRACTITIONER,
        agency=charity,
        areas=[kingsmere],
        job_title="Return interview worker",
    )
    for member, role in ((lee, "Police"), (vic, "Independent return interviews")):
        CaseMember.objects.create(case=jades_case, user=member, role=role, added_by=amira)
    lee_key, vic_key = device_key(lee), device_key(vic)
    seen = timezone.now() - timedelta(hours=80)
    record_url = f"{live_server.url}/young-people/{jade.pk}/"

    with chromium(expected_statuses=(400,)) as page:
        sign_in(page, live_server.url, "lee", lee_key)
        page.goto(record_url)
        page.get_by_role("link", name="Record a missing episode").click()
        page.get_by_label("Last seen").fill(local(seen))
        page.get_by_label("Reported missing").fill(local(seen + timedelta(hours=2)))
        page.get_by_label("Returned or found").fill(local(seen + timedelta(hours=1)))
        page.get_by_label("Police reference").fill("MP/26/4411")
        page.locator("#id_risk_grading_3").check()  # high
        page.locator("#id_missing_or_absent_0").check()  # missing
        page.locator("#id_missing_from_1").check()  # placement
        page.get_by_label("Exploitation concern noted").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "The return must be after the young person was reported missing"
        )
        expect(page.get_by_label("Police reference")).to_have_value("MP/26/4411")
        page.get_by_label("Returned or found").fill("")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Still missing")).to_be_visible()

        page.get_by_role("link", name="Record the return").click()
        page.get_by_label("Returned or found").fill(local(seen + timedelta(hours=30)))
        page.get_by_label("Where found").fill("Station Hotel, with two adults")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#episode")).to_contain_text("Station Hotel")
        expect(page.get_by_text("Over 24 hours")).to_be_visible()
        expect(page.locator("#interview-due")).to_contain_text("Due by")

        # Vic, from the independent service, at her own desk.
        page = page.context.browser.new_context(
            locale="en-GB", timezone_id="Europe/London"
        ).new_page()
        sign_in(page, live_server.url, "vic", vic_key)
        page.goto(record_url)
        page.locator("#missing-episodes").get_by_role("link").first.click()
        page.get_by_role("link", name="Record the return interview").click()
        back = seen + timedelta(hours=30)
        page.get_by_label("Offered at").fill(local(back + timedelta(hours=20)))
        page.get_by_label("Interviewer").select_option(label="Vic Adams (Safe Steps)")
        page.locator("#id_interviewer_relationship_0").check()  # independent
        page.locator("#id_outcome_0").check()  # held
        page.get_by_label("Held at").fill(local(back + timedelta(hours=26)))
        page.get_by_label("Held where").fill("Youth centre")
        page.get_by_label("The young person's own words").fill("I didn't want to go back there.")
        page.get_by_label("What pulled them away").fill("Promised money and a place to stay")
        page.get_by_role("button", name="Save the interview").click()
        expect(page.locator("#return-interview")).to_contain_text("Held")
        expect(page.locator("#return-interview")).to_contain_text("(within 72 hours)")

        page.goto(record_url)
        chronology = page.locator("#chronology")
        expect(chronology).to_contain_text("Return home interview: held")
        expect(chronology).to_contain_text("I didn't want to go back there.")
        expect(chronology).to_contain_text("Missing from placement: returned after 1")
        page.context.close()

    episode = MissingEpisode.objects.get()
    assert episode.police_reference == "MP/26/4411"
    assert episode.return_interview.interviewer == vic
