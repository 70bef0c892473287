"""A referral in Chromium: a school's safeguarding lead refers; Kingsmere's CSE
lead screens and decides; the referrer sees the outcome; the referral is on
the young person's chronology.

Device keys are read before ``with chromium() as page`` and the database is
checked after it: Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cse_cases.models import Case
from referrals.models import Referral
from tests.browser.dates import fill_date
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import years_before
from tests.referrals.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_school_refers_cse_lead_decides_referrer_sees_outcome(
    live_server, chromium, sara, jo, amira, kingsmere, tmp_path
) -> None:
    sara_key, jo_key = device_key(sara), device_key(jo)
    letter = tmp_path / "letter-from-school.pdf"
    letter.write_bytes(PDF)
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ\x90\x00 this is a program, not a photo")
    born = years_before(timezone.localdate(), 14) - timedelta(days=40)

    with chromium(expected_statuses=(400,)) as page:
        # Sara refers.
        sign_in(page, live_server.url, "sara", sara_key)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
        page.get_by_role("link", name="Make a referral").click()
        expect(page.get_by_role("heading", name="Make a referral")).to_be_visible()
        expect(page.get_by_label("Your name")).to_have_value("Sara Lewis")
        page.locator("#id_identity_0").check()
        page.get_by_label("First name", exact=True).fill("Kayla")
        page.get_by_label("Last name", exact=True).fill("Price")
        fill_date(page, "Date of birth", born)
        page.get_by_label("Picked up or driven by unknown adults").check()
        page.get_by_label("What the young person said, in their own words").fill(
            "He's my friend, he gives me lifts."
        )
        page.locator("#id_parents_aware_1").check()
        page.locator("#id_consent_1").check()  # not sought
        page.locator("#id_urgency_1").check()  # urgent
        page.get_by_label("Files (optional)").set_input_files(str(fake))
        page.get_by_role("button", name="Send referral").click()

        # Nothing typed is lost; each problem is named.
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Describe your concerns about the young person")
        expect(page.get_by_label("First name", exact=True)).to_have_value("Kayla")
        expect(page.locator("#id_urgency_1")).to_be_checked()
        worry = page.get_by_label("What are you worried about?")
        worry.fill("Kayla is putting herself at risk.")
        # The language check advises as she types, and does not stop her.
        expect(page.locator("#concerns-language")).to_contain_text(
            # Fitted to her sentence: "Kayla is at risk of being exploited."
            "“putting herself at risk”: try “at risk of being exploited”"
        )
        worry.fill("Kayla has been picked up from school by an adult in a grey car three times.")
        expect(page.locator("#concerns-language")).to_be_empty()
        # Typing is kept as a draft (a timed-out session loses nothing).
        expect(page.locator("#draft-status")).to_contain_text("Draft saved", timeout=10_000)
        page.get_by_role("button", name="Send referral").click()
        expect(summary).to_contain_text("Say why consent was not sought")
        page.get_by_label("Why consent was not sought").fill("Asking could alert the driver")
        page.get_by_label("Lawful basis for sharing without consent").select_option(
            label="Safeguarding a child at risk of harm"
        )
        page.get_by_label("Files (optional)").set_input_files(str(fake))
        page.get_by_role("button", name="Send referral").click()
        expect(summary).to_contain_text("photo.jpg is not a PDF")
        page.get_by_label("Files (optional)").set_input_files(str(letter))
        page.get_by_role("button", name="Send referral").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("sent to Kingsmere")
        reference = page.locator(".govuk-caption-l").inner_text().removeprefix("Referral ")
        sara_page = page

        # Jo screens and decides, at her own desk (a second browser).
        browser = page.context.browser
        page = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
        sign_in(page, live_server.url, "jo", jo_key)
        expect(page.locator("#referral-counts")).to_contain_text("1 referral waiting")
        page.get_by_role("link", name="Open the screening queue").click()
        row = page.locator("#queue tbody tr", has_text=reference)
        expect(row).to_contain_text("Kayla Price")
        expect(row).to_contain_text("Urgent")
        expect(row).to_contain_text("left")
        row.get_by_role("link", name=reference).click()
        expect(page.locator("#attachments")).to_contain_text("letter-from-school.pdf")
        page.get_by_role("button", name="Start screening").click()
        page.get_by_label("Screened risk").select_option(label="High")
        page.get_by_label("Screening notes").fill("Police know the car. School confirms.")
        page.get_by_role("button", name="Save screening").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Screening saved")
        page.get_by_role("link", name="Record the decision").click()
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a decision")
        page.get_by_label("CSE assessment").check()
        page.get_by_label("Reasons for the decision").fill(
            "Repeated pick-ups by an unknown adult; a multi-agency assessment is needed."
        )
        page.get_by_label("Lead professional (for a new case)").select_option(
            label="Amira Bennett (Kingsmere Children's Services, Exploitation Team, Practitioner)"
        )
        page.get_by_label("Feedback to the referrer").fill(
            "Thank you. A CSE assessment has started; a social worker will contact you."
        )
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator("#outcome")).to_contain_text("CSE assessment")
        page.get_by_role("heading", level=1).get_by_role("link", name="Kayla Price").click()
        expect(page.locator("#chronology")).to_contain_text(f"Referral {reference}: CSE assessment")
        page.context.close()

        # Sara sees the outcome.
        page = sara_page
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
        expect(page.locator("#my-referrals")).to_contain_text("CSE assessment")
        page.get_by_role("link", name=reference).click()
        expect(page.locator("#outcome")).to_contain_text("A CSE assessment has started")
        expect(page.locator("#outcome")).not_to_contain_text("Repeated pick-ups")
        # Screening is the screeners' work: the referrer sees the outcome.
        expect(page.locator("#referral-details")).not_to_contain_text("Screened: High")
        expect(page.get_by_role("button", name="Start screening")).to_have_count(0)
        expect(page).to_have_title(re.compile(rf"^Referral {reference}"))

    referral = Referral.objects.get()
    assert referral.status == "decided"
    assert referral.risk_level == "high"
    assert referral.attachments.get().name == "letter-from-school.pdf"
    assert Case.objects.get(young_person=referral.young_person).lead_professional == amira


def test_the_referral_form_sent_empty_links_each_problem_to_its_field(
    live_server, chromium, sara
) -> None:
    key = device_key(sara)
    with chromium() as page:
        sign_in(page, live_server.url, "sara", key)
        page.goto(f"{live_server.url}/referrals/new/")
        page.get_by_role("button", name=re.compile("Send")).click()

        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("There is a problem")
        for link in summary.get_by_role("link").all():
            assert link.get_attribute("href") not in ("#", ""), link.inner_text()
        # Radios: the link goes to the first option, as GOV.UK Frontend does.
        summary.get_by_role("link", name="Say whether their parents or carers know").click()
        expect(page.locator("#id_parents_aware_0")).to_be_focused()
        summary.get_by_role("link", name="Say whether consent to share was given").click()
        expect(page.locator("#id_consent_0")).to_be_focused()

        # A date with a part left out: the link goes to that part, and the
        # other parts keep what was typed.
        page.locator("#id_identity_0").check()
        dob = page.get_by_role("group", name="Date of birth", exact=True)
        dob.get_by_label("Day").fill("3")
        dob.get_by_label("Year").fill("2012")
        page.get_by_role("button", name=re.compile("Send")).click()
        link = summary.get_by_role("link", name="Date of birth must include a month")
        link.click()
        expect(dob.get_by_label("Month")).to_be_focused()
        expect(dob.get_by_label("Day")).to_have_value("3")
        expect(dob.get_by_label("Year")).to_have_value("2012")
