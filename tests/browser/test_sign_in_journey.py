"""A practitioner signs in with two-factor in Chromium and reaches their home page."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_practitioner_signs_in_with_two_factor(live_server, chromium, amira) -> None:
    key = TOTPDevice.objects.get(user=amira).bin_key

    with chromium() as page:
        page.goto(f"{live_server.url}/")
        expect(page).to_have_url(re.compile(r"/sign-in/\?next=%2F$"))
        expect(page.get_by_role("heading", name="Sign in to Harbour")).to_be_visible()

        # A wrong password first: a clear message, and the username is kept.
        page.get_by_label("Username").fill("amira")
        page.get_by_label("Password").fill("not my password")
        page.get_by_role("button", name="Continue").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "The username or password is not right"
        )
        expect(page.get_by_label("Username")).to_have_value("amira")

        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
        page.get_by_label("Security code").fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Sign in").click()

        expect(page.get_by_role("heading", name="Hello, Amira")).to_be_visible()
        expect(page.get_by_role("navigation", name="Menu")).to_contain_text("Home")
        expect(page.get_by_role("navigation", name="Menu")).not_to_contain_text("Administration")
        # GOV.UK Frontend's JavaScript ran under the strict CSP.
        expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()


def test_newcomer_enrols_an_authenticator_on_first_sign_in(
    live_server, chromium, kingsmere_social_care
) -> None:
    UserFactory(
        username="newcomer", first_name="Nia", agency=kingsmere_social_care, two_factor=False
    )

    with chromium() as page:
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill("newcomer")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
        expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
        # What an authenticator app does with the key it was shown.
        code = f"{totp(b32decode(page.locator('#totp-secret').inner_text())):06d}"
        page.get_by_label("Security code").fill(code)
        page.get_by_role("button", name="Confirm and sign in").click()
        expect(page.get_by_role("heading", name="Hello, Nia")).to_be_visible()

    assert TOTPDevice.objects.get(user__username="newcomer").confirmed
