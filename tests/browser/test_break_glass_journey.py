"""Emergency access in Chromium, end to end: a Kingsmere police officer finds a
Glenmuir child by name and date of birth, is offered emergency access, gives a
reason and reads the record; the lead professional sees it on "My work";
Glenmuir's information governance reviews it; Kingsmere's never sees it.

Data is set up before ``with chromium()`` and checked after it (Playwright's
event loop forbids ORM calls inside the block)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from cse_cases.models import AgencyKind, BreakGlassGrant, BreakGlassReview, Nation, Role
from tests.browser.dates import fill_date
from tests.browser.test_record_journey import device_key, sign_in
from tests.factories import AgencyFactory, AreaFactory, CaseFactory, UserFactory, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = (
    "Skye was found at Kingsmere station at 1am with an older man; "
    "Glenmuir's out-of-hours line is not answering and we need her placement details."
)
SKYE_BORN = date(2012, 3, 14)


@pytest.fixture
def glenmuir():
    area = AreaFactory(name="Glenmuir", code="S12900003", nation=Nation.SCOTLAND)
    council = AgencyFactory(
        name="Glenmuir Council Social Work",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        areas=[area],
    )
    morag = UserFactory(
        username="morag",
        first_name="Morag",
        last_name="Reid",
        role=Role.PRACTITIONER,
        agency=council,
        areas=[area],
    )
    fiona = UserFactory(
        username="fiona",
        first_name="Fiona",
        last_name="Baird",
        role=Role.INFORMATION_GOVERNANCE,
        agency=council,
        areas=[area],
    )
    skye = YoungPersonFactory(
        legal_first_name="Skye",
        legal_last_name="Campbell",
        date_of_birth=SKYE_BORN,
        area=area,
        created_by=morag,
    )
    CaseFactory(young_person=skye, lead_professional=morag)
    return {"morag": morag, "fiona": fiona, "skye": skye}


@pytest.fixture
def kirsty(kingsmere):
    police = AgencyFactory(name="Kingsmere Constabulary", kind=AgencyKind.POLICE, areas=[kingsmere])
    return UserFactory(
        username="kirsty",
        first_name="Kirsty",
        last_name="Hall",
        role=Role.PRACTITIONER,
        agency=police,
        areas=[kingsmere],
        job_title="Police constable",
    )


def new_desk(page: Page) -> Page:
    """Another person at their own desk: a fresh browser context and session."""
    return page.context.browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()


def test_police_break_glass_the_lead_sees_it_and_the_right_ig_reviews_it(
    live_server, chromium, glenmuir, kirsty, dev
) -> None:
    keys = {p.username: device_key(p) for p in (kirsty, glenmuir["morag"], glenmuir["fiona"], dev)}
    skye = glenmuir["skye"]
    record = f"{live_server.url}/young-people/{skye.pk}/"

    with chromium(expected_statuses=(404,)) as page:
        # Kirsty cannot open the record by its address.
        sign_in(page, live_server.url, "kirsty", keys["kirsty"])
        assert page.goto(record).status == 404
        expect(page.locator("body")).not_to_contain_text("Campbell")

        # She finds Skye by name and date of birth.
        page.goto(f"{live_server.url}/young-people/")
        page.get_by_label("Name or alias").fill("Skye Campbell")
        fill_date(page, "Date of birth", SKYE_BORN)
        page.get_by_role("button", name="Search").click()
        hint = page.locator("#hidden-match")
        expect(hint).to_contain_text("A record you cannot see matches")
        expect(hint).not_to_contain_text("Campbell")
        hint.get_by_role("link", name="Ask for emergency access").click()

        expect(page.get_by_role("heading", name="Emergency access")).to_be_visible()
        page.get_by_role("button", name="Open the record").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Explain why you need this record now"
        )
        page.get_by_label("Reason").fill(REASON)
        page.get_by_role("button", name="Open the record").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Skye Campbell")
        expect(page.get_by_role("alert")).to_contain_text("You have emergency access for 4 hours")
        expect(page.get_by_role("link", name="Add a note")).to_have_count(0)

        # Morag, who leads Skye's case, sees it on "My work".
        lead = new_desk(page)
        sign_in(lead, live_server.url, "morag", keys["morag"])
        lead.goto(f"{live_server.url}/my-work/")
        emergency = lead.locator("#my-work-emergency-access")
        expect(emergency).to_contain_text("Kirsty Hall (Kingsmere Constabulary)")
        expect(emergency).to_contain_text(REASON)
        emergency.get_by_role("link", name="Skye Campbell").click()
        expect(lead.locator("#emergency-access")).to_contain_text("Kirsty Hall")

        # Kingsmere's information governance never sees it.
        kingsmere_ig = new_desk(page)
        sign_in(kingsmere_ig, live_server.url, "dev", keys["dev"])
        expect(kingsmere_ig.locator("#break-glass")).to_contain_text("Nothing is waiting")
        kingsmere_ig.goto(f"{live_server.url}/audit/emergency-access/")
        expect(kingsmere_ig.locator("#waiting")).to_contain_text("Nothing is waiting for review")
        expect(kingsmere_ig.locator("body")).not_to_contain_text("Kirsty")
        expect(kingsmere_ig.locator("body")).not_to_contain_text("Kingsmere station")

        # Glenmuir's information governance reviews it.
        ig = new_desk(page)
        sign_in(ig, live_server.url, "fiona", keys["fiona"])
        ig.locator("#break-glass").get_by_role("link").click()
        waiting = ig.locator("#waiting")
        expect(waiting).to_contain_text("Kirsty Hall (Kingsmere Constabulary)")
        waiting.get_by_role("link", name="Review").click()
        expect(ig.get_by_role("heading", name="Review emergency access")).to_be_visible()
        expect(ig.locator(".govuk-summary-list").first).to_contain_text(REASON)
        ig.get_by_label("Appropriate", exact=True).check()
        ig.get_by_label("Note").fill(
            "Checked with the duty manager: a real emergency, well explained."
        )
        ig.get_by_role("button", name="Record the review").click()
        expect(ig.get_by_role("alert")).to_contain_text("Review recorded.")
        expect(ig.locator("#waiting")).to_contain_text("Nothing is waiting for review")
        expect(ig.locator("#reviewed")).to_contain_text("Appropriate")

        # The trail of Skye's record shows the emergency access in plain words.
        ig.locator("#reviewed").get_by_role("link", name="Appropriate").click()
        ig.get_by_role("link", name=f"Record {skye.pk}: Skye Campbell").click()
        expect(ig.locator("table")).to_contain_text("Used emergency access to the case")

    grant = BreakGlassGrant.objects.get()
    assert (grant.user, grant.case.young_person, grant.reason) == (kirsty, skye, REASON)
    review = BreakGlassReview.objects.get()
    assert (review.grant, review.outcome, review.reviewed_by) == (
        grant,
        "appropriate",
        glenmuir["fiona"],
    )
