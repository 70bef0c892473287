"""From a fresh data folder, `make run`, then a demo practitioner signs in with
two-factor in Chromium and reaches the home page: the newcomer's first minute."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from cse_cases.wiring import demo
from tests.test_make_run import devstack_env, free_port, running_harbour

pytestmark = [pytest.mark.browser, pytest.mark.stack]


def test_demo_practitioner_signs_in_to_a_fresh_make_run(tmp_path, chromium) -> None:
    port = free_port()
    with running_harbour(devstack_env(tmp_path, port), port) as output:
        printed = "".join(output)
        assert "practitioner.kingsmere" in printed
        assert demo.DEMO_PASSWORD in printed
        with chromium() as page:
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_label("Username").fill("practitioner.kingsmere")
            page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
            page.get_by_role("button", name="Continue").click()
            # What an authenticator app holding the printed demo secret shows.
            code = f"{totp(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)):06d}"
            page.get_by_label("Security code").fill(code)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Hello, Amira")).to_be_visible()
            expect(page.locator("main")).to_contain_text("Kingsmere Exploitation Team")
