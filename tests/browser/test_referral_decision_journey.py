"""Deciding a CSE assessment in Chromium: Jo, Kingsmere's CSE lead, must choose
who leads Kayla's new case from Kingsmere's practitioners (each shown with
agency and team, the referrer's agency first), and the record then starts
at the risk the screening judged.

The referral is made and screened before ``with chromium() as page``, and the
database is checked after it: Playwright's event loop forbids ORM calls inside.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cse_cases.models import Case, RiskSource
from referrals import services
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import verified, years_before
from tests.referrals.conftest import referral_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMIRA = "Amira Bennett (Kingsmere Children's Services, Exploitation Team, Practitioner)"


def test_a_cse_lead_chooses_the_lead_professional_and_the_record_starts_at_the_screened_risk(
    live_server, chromium, sara, jo, amira, ben, tom, kingsmere
) -> None:
    referral, _ = services.referral_create(
        by=verified(sara),
        data=referral_data(urgency="urgent"),
        new_young_person={
            "legal_first_name": "Kayla",
            "legal_last_name": "Price",
            "date_of_birth": years_before(timezone.localdate(), 14),
            "area": kingsmere,
        },
    )
    referral = services.referral_screening_start(by=verified(jo), referral=referral)
    services.referral_screening_update(
        by=verified(jo),
        referral=referral,
        version=referral.version,
        risk_level="high",
        screening_notes="Police know the car.",
    )
    reference, jo_key = referral.reference, device_key(jo)

    with chromium(expected_statuses=(400,)) as page:
        sign_in(page, live_server.url, "jo", jo_key)
        page.goto(f"{live_server.url}/referrals/{referral.pk}/")
        page.get_by_role("link", name="Record the decision").click()
        page.get_by_label("CSE assessment").check()
        page.get_by_label("Reasons for the decision").fill(
            "Repeated pick-ups by an unknown adult; a multi-agency assessment is needed."
        )
        page.get_by_label("Feedback to the referrer").fill(
            "Thank you. A CSE assessment has started; a social worker will contact you."
        )
        # Not choosing is not an option: the CSE lead is never made lead silently.
        page.get_by_role("button", name="Record the decision").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text(
            "Choose the lead professional for the young person's new case"
        )
        summary.get_by_role("link", name="Choose the lead professional").click()
        picker = page.get_by_label("Lead professional (for a new case)")
        expect(picker).to_be_focused()
        # What was typed is still there.
        expect(page.get_by_label("Reasons for the decision")).to_have_value(
            "Repeated pick-ups by an unknown adult; a multi-agency assessment is needed."
        )
        # Kingsmere's people who can hold a case, with agency and team; the
        # referrer's agency (Kingsmere Academy) first; nobody from Afon Valley.
        expect(page.locator("#id_lead_professional_helptext")).to_contain_text(
            "People from the referrer's agency, Kingsmere Academy, come first."
        )
        options = picker.locator("option")
        expect(options.nth(0)).to_have_text("Choose the lead professional")
        expect(options.nth(1)).to_have_text(
            "Sara Lewis (Kingsmere Academy, Practitioner): the referrer's agency"
        )
        expect(picker).to_contain_text(AMIRA)
        expect(picker).to_contain_text("Ben Carter (Kingsmere Children's Services, Practitioner)")
        expect(picker).to_contain_text("Jo Marsh (Kingsmere Children's Services, CSE lead)")
        expect(picker).not_to_contain_text("Tom")
        picker.select_option(label=AMIRA)
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator("#outcome")).to_contain_text("CSE assessment")

        # The record starts at the risk the screening judged, and says so.
        page.get_by_role("heading", level=1).get_by_role("link", name="Kayla Price").click()
        history = page.locator("#risk-history")
        expect(history).to_contain_text("High")
        expect(history).to_contain_text(f"from screening of referral {reference}")
        expect(page.get_by_text("Risk: High")).to_be_visible()

    case = Case.objects.get(young_person=referral.young_person)
    assert case.lead_professional == amira
    assert case.risk_level == "high"
    assert case.risk_history.get().source == RiskSource.SCREENING
