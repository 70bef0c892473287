"""Persons of concern across districts in Chromium: Afon Valley's CSE lead is
told only that a match exists elsewhere; Kingsmere's CSE lead shares the
person with Afon Valley; then Afon Valley finds them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cse_cases import services
from cse_cases.models import AuditAction, AuditEvent, PersonOfConcernShare
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HINT = "A match exists in another area: contact that area's CSE lead or police intelligence unit."


def search(page, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/persons-of-concern/")
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Search").click()


def test_a_person_of_concern_is_shared_with_another_district(
    live_server, chromium, jo, rhian, kingsmere, afon_valley
) -> None:
    ricky = services.person_of_concern_create(by=verified(jo), name="Ricky Vale", area=kingsmere)
    jo_key, rhian_key = device_key(jo), device_key(rhian)

    with chromium() as page:
        sign_in(page, live_server.url, "rhian", rhian_key)
        search(page, live_server.url, "Ricky")
        expect(page.locator("#match-in-other-area")).to_have_text(HINT)
        expect(page.locator("#people")).to_have_text("None you can see.")

        # Jo, at the same time, in a browser of her own.
        jos = page.context.browser.new_context(locale="en-GB").new_page()
        sign_in(jos, live_server.url, "jo", jo_key)
        jos.goto(f"{live_server.url}/persons-of-concern/{ricky.pk}/")
        expect(jos.locator("#sharing-decisions")).to_contain_text("Not shared")
        jos.get_by_role("link", name="Share with another district").click()
        jos.get_by_role("button", name="Share with this district").click()
        expect(jos.locator(".govuk-error-summary")).to_contain_text(
            "Say why you are sharing this person with that district"
        )
        jos.get_by_label("District to share with").select_option(label="Afon Valley")
        jos.get_by_label("Why you are sharing").fill("Seen at Afon Valley bus station")
        jos.get_by_label("Lawful basis").select_option(label="Prevention or detection of crime")
        jos.get_by_role("button", name="Share with this district").click()
        decisions = jos.locator("#sharing-decisions")
        expect(decisions).to_contain_text("Afon Valley")
        expect(decisions).to_contain_text("Seen at Afon Valley bus station")
        jos.context.close()

        search(page, live_server.url, "Ricky")
        expect(page.locator("#match-in-other-area")).to_have_count(0)
        page.locator("#people").get_by_role("link", name="Ricky Vale").click()
        expect(page.get_by_role("heading", name="Ricky Vale")).to_be_visible()

    assert PersonOfConcernShare.objects.get().area == afon_valley
    assert AuditEvent.objects.filter(action=AuditAction.SHARE, username="jo").count() == 1
    assert AuditEvent.objects.filter(username="rhian", detail="cross-area match").count() == 1
