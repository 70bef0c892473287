"""A practitioner makes an API token in Chromium, uses it, and revokes it.

Data is set up before ``with chromium() as page`` and checked after it:
Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cse_cases.models import ApiToken, AuditEvent
from tests.browser.test_record_journey import device_key, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_makes_uses_and_revokes_a_token(live_server, chromium, amira) -> None:
    key = device_key(amira)

    with chromium(expected_statuses=(401,)) as page:
        sign_in(page, live_server.url, "amira", key)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="API tokens").click()
        expect(page.get_by_role("heading", name="Your API tokens")).to_be_visible()
        expect(page.get_by_text("You have no tokens.")).to_be_visible()

        # A lifetime past the limit: a clear message, and the name is kept.
        page.get_by_label("Name").fill("Case system sync")
        page.get_by_label("Days until it expires").fill("400")
        page.get_by_role("button", name="Make a token").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "A token lasts at most 90 days."
        )
        expect(page.get_by_label("Name")).to_have_value("Case system sync")

        page.get_by_label("Days until it expires").fill("30")
        page.get_by_role("button", name="Make a token").click()
        expect(page.get_by_text("Copy it now: Harbour will not show it again.")).to_be_visible()
        token = page.locator("#new-token-key").inner_text().strip()
        assert token.startswith("harbour_")
        row = page.get_by_role("row", name="Case system sync")
        expect(row).to_contain_text("Never")

        me = page.request.get(
            f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Token {token}"}
        )
        assert me.status == 200
        assert me.json()["username"] == "amira"
        assert "no-store" in me.headers["cache-control"]

        # Shown once: a fresh visit lists the token, with its use, but not its key.
        page.reload()
        expect(page.locator("#new-token-key")).to_have_count(0)
        assert token not in page.content()

        row.get_by_role("button", name="Revoke").click()
        expect(page.get_by_text("is revoked: it no longer works.")).to_be_visible()
        expect(page.get_by_text("You have no tokens.")).to_be_visible()
        refused = page.request.get(
            f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Token {token}"}
        )
        assert refused.status == 401
        assert refused.json()["status"] == 401

    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(user_id=amira.pk, object_type="apitoken").count() == 2
