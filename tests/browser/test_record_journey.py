"""The young person's record in Chromium: create it, write in it, find duplicates.

Emergency access has its own journey: test_break_glass_journey.py.

Device keys are read before ``with chromium() as page`` and the database is
checked after it: Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from cse_cases.models import AuditEvent, YoungPerson
from tests.browser.dates import expect_date, fill_date
from tests.conftest import years_before
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def device_key(user) -> bytes:
    return TOTPDevice.objects.get(user=user, confirmed=True).bin_key


def sign_in(page: Page, base_url: str, username: str, key: bytes) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Hello, "))).to_be_visible()


def open_add_form(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Young people").click()
    expect(page.get_by_role("heading", name="Young people", exact=True)).to_be_visible()
    page.get_by_role("link", name="Add a young person").click()
    expect(page.get_by_role("heading", name="Add a young person")).to_be_visible()


def fill_who_they_are(page: Page, first: str, last: str, born: date) -> None:
    page.get_by_label("First name (legal)").fill(first)
    page.get_by_label("Last name (legal)").fill(last)
    fill_date(page, "Date of birth", born)
    page.get_by_label("Area", exact=True).select_option(label="Kingsmere")


def test_practitioner_adds_a_young_person(live_server, chromium, amira) -> None:
    key = device_key(amira)
    born = years_before(timezone.localdate(), 15) - timedelta(weeks=8)

    with chromium() as page:
        sign_in(page, live_server.url, "amira", key)
        open_add_form(page)
        fill_who_they_are(page, "Leah", "Price", born)
        nhs = page.get_by_label("NHS number")
        nhs.fill("485 777 3458")  # the check digit should be 7
        page.get_by_role("button", name="Save").click()

        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("There is a problem")
        expect(summary.get_by_role("link")).to_have_text(
            "This NHS number is not valid: check each digit against the letter or card it came from"
        )
        expect(page).to_have_title(re.compile(r"^Error: Add a young person"))
        expect(page.get_by_label("First name (legal)")).to_have_value("Leah")
        expect(page.get_by_label("Last name (legal)")).to_have_value("Price")
        expect_date(page, "Date of birth", born)
        expect(nhs).to_have_value("485 777 3458")
        expect(nhs).to_have_class(re.compile("govuk-input--error"))

        # The summary's link takes the keyboard to the field at fault.
        summary.get_by_role("link").click()
        expect(nhs).to_be_focused()
        nhs.fill("485 777 3457")
        page.get_by_role("button", name="Save").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Leah Price")
        expect(page.get_by_role("alert")).to_contain_text("Record created for Leah Price.")
        expect(page.get_by_text("Age 15", exact=True)).to_be_visible()
        expect(page.get_by_text("Under 16", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Chronology")).to_be_visible()
        expect(page.locator("#chronology")).to_contain_text("Case opened")
        expect(page.get_by_text("Lead professional: Amira Bennett")).to_be_visible()

    leah = YoungPerson.objects.get(legal_first_name="Leah", legal_last_name="Price")
    assert leah.nhs_number == "4857773457"
    assert leah.date_of_birth == born
    assert leah.cases.get().lead_professional == amira


def test_note_with_young_persons_words_and_chronology_filter(
    live_server, chromium, amira, jade, jades_case
) -> None:
    key = device_key(amira)
    words = "I just want someone to listen to me"

    with chromium() as page:
        sign_in(page, live_server.url, "amira", key)
        page.goto(f"{live_server.url}/young-people/{jade.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Jade Morgan (known as JJ)")
        page.get_by_role("link", name="Add a note").click()

        expect(page.get_by_role("heading", name="Add a note")).to_be_visible()
        page.get_by_label("Type of note").select_option(label="Contact with the young person")
        page.get_by_label("Note", exact=True).fill("Met Jade after school; she talked about home.")
        page.get_by_label("The young person's own words").fill(words)
        expect(page.get_by_label("Everyone who can see the case")).to_be_checked()
        page.get_by_role("button", name="Save note").click()

        expect(page.get_by_role("alert")).to_contain_text("Note added to the chronology.")
        chronology = page.locator("#chronology")
        expect(chronology).to_contain_text("Contact with the young person")
        expect(chronology.locator(".govuk-inset-text")).to_contain_text(words)

        # htmx swaps the timeline in place; the page itself does not reload.
        page.evaluate("window.notReloaded = true")
        page.get_by_label("Show", exact=True).select_option(label="Risk decisions")
        expect(page.locator("#chronology")).not_to_contain_text(words)
        expect(page.locator("#chronology")).to_contain_text("Nothing recorded yet")
        page.get_by_label("Show", exact=True).select_option(label="Everything")
        expect(page.locator("#chronology")).to_contain_text(words)
        assert page.evaluate("window.notReloaded") is True
        expect(page.locator("#chronology")).to_have_count(1)

    note = jades_case.notes.get()
    assert (note.young_persons_words, note.author, note.visibility) == (words, amira, "team")


def test_duplicate_check_then_new_record(live_server, chromium, amira, jade, jades_case) -> None:
    key = device_key(amira)

    with chromium() as page:
        sign_in(page, live_server.url, "amira", key)
        open_add_form(page)
        fill_who_they_are(page, "Jayde", "Morgan", jade.date_of_birth)
        page.get_by_role("button", name="Save").click()

        expect(page.get_by_text("This young person may already have a record")).to_be_visible()
        candidates = page.locator("#duplicate-candidates")
        link = candidates.get_by_role("link", name="Jade Morgan (known as JJ)")
        expect(link).to_have_attribute("href", f"/young-people/{jade.pk}/")
        expect(page.get_by_label("First name (legal)")).to_have_value("Jayde")

        page.get_by_label("None of these is the same young person").check()
        page.get_by_role("button", name="Save").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Jayde Morgan")
        expect(page.get_by_role("alert")).to_contain_text("Record created for Jayde Morgan.")

    assert YoungPerson.objects.filter(legal_last_name="Morgan").count() == 2
    assert YoungPerson.objects.get(legal_first_name="Jayde").date_of_birth == jade.date_of_birth


def test_typing_survives_a_closed_tab(live_server, chromium, amira) -> None:
    key = device_key(amira)

    with chromium() as page:
        sign_in(page, live_server.url, "amira", key)
        open_add_form(page)
        page.get_by_label("First name (legal)").fill("Summer")
        page.get_by_label("School", exact=True).fill("Kingsmere Academy")
        page.get_by_label("School", exact=True).blur()  # leaving a field saves at once
        expect(page.locator("#draft-status")).to_contain_text("Draft saved at")
        # The tab closes; a new one opens the form again.
        fresh = page.context.new_page()
        page.close()
        fresh.goto(f"{live_server.url}/young-people/new/")
        expect(fresh.get_by_role("heading", name="Draft restored")).to_be_visible()
        expect(fresh.get_by_label("First name (legal)")).to_have_value("Summer")
        expect(fresh.get_by_label("School", exact=True)).to_have_value("Kingsmere Academy")


def test_cse_lead_records_a_person_of_concern_and_disrupts(live_server, chromium, jo) -> None:
    key = device_key(jo)

    with chromium() as page:
        sign_in(page, live_server.url, "jo", key)
        page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Persons of concern"
        ).click()
        page.get_by_role("link", name="Record a person of concern").click()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter a name, or the name they are known by"
        )
        page.get_by_label("Name", exact=True).fill("Ricky <b>Vale</b>")
        page.get_by_label("Phone numbers").fill("07700 900123\n07700 900456")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Ricky <b>Vale</b>")).to_be_visible()
        expect(page.locator("main")).to_contain_text("07700 900123, 07700 900456")
        expect(page.locator("main")).to_contain_text("Restricted to police and CSE leads")
        page.get_by_role("link", name="Record disruption").click()
        page.get_by_label("Disruption").select_option(label="Child Abduction Warning Notice")
        fill_date(page, "Date", timezone.localdate())
        page.get_by_label("Outcome").fill("Served in person")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#disruptions")).to_contain_text("Child Abduction Warning Notice")
        expect(page.locator("#disruptions")).to_contain_text("Served in person")

    assert AuditEvent.objects.filter(username="jo", object_type="disruption").exists()
