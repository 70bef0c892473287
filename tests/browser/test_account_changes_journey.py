"""Alex (the only administrator) asks to make Priya a CSE lead; it waits for a
second person. Dev, Kingsmere's information governance, finds it from his home
page and approves it; Priya sees what was done on her account page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cse_cases import services
from cse_cases.models import Role, User
from tests.browser.test_record_journey import device_key, sign_in
from tests.conftest import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_information_governance_approves_an_account_change(
    live_server, chromium, alex, priya, dev
) -> None:
    change = services.account_update(
        by=verified(alex), account=priya, data={"role": Role.CSE_LEAD}, reason="New post"
    ).pending
    dev_key, priya_key = device_key(dev), device_key(priya)

    with chromium() as page:
        sign_in(page, live_server.url, "dev", dev_key)
        expect(page.locator("#account-changes-waiting")).to_contain_text("1 account change waiting")
        page.get_by_role("link", name="Account changes").click()
        expect(page.get_by_role("heading", name="Account changes", exact=True)).to_be_visible()
        page.get_by_role("link", name="Decide").click()
        expect(page.locator(".govuk-summary-list")).to_contain_text("Commissioner to CSE lead")
        expect(page.locator(".govuk-summary-list")).to_contain_text("New post")
        page.get_by_label("Note (optional)").fill("Confirmed with her manager")
        page.get_by_role("button", name="Approve").click()
        expect(page.locator("body")).to_contain_text("The change is approved.")
        expect(page.locator("#pending-account-changes")).to_have_count(0)

    with chromium() as page:
        sign_in(page, live_server.url, "priya", priya_key)
        page.goto(f"{live_server.url}/accounts/{priya.pk}/")
        expect(page.get_by_role("heading", name="Your account")).to_be_visible()
        expect(page.locator("body")).to_contain_text("Approved request")
        expect(page.locator("body")).to_contain_text("Confirmed with her manager")

    assert User.objects.get(pk=priya.pk).role == Role.CSE_LEAD
    change.refresh_from_db()
    assert change.decided_by_id == dev.pk
