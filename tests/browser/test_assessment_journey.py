"""A risk assessment in Chromium: the lead professional starts it from the
record and it saves as she types; two agencies write their sections; she
judges a level different from the one the indicators suggest and is asked for
her rationale; her supervisor signs it off; the record's trajectory shows it.

Device keys are read before ``with chromium() as page`` and the database is
checked after it: Playwright's event loop forbids ORM calls inside the block.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import Answer, Assessment, AssessmentStatus, DomainKind
from assessments.risk.services import next_review
from tests.browser.test_record_journey import device_key, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Saved at \d\d:\d\d:\d\d")
# Risk indicators Amira marks present (weights 3 and 3: a score of 6, "medium").
MISSING = "Missing from home or care, or absent, in the last 6 months"
PARTNER = "An adult or much older person is presented as a partner"
STRENGTH = "Has a trusted adult to talk to"
VIEWS = "I just want to go back to school and see my mates."
RATIONALE = (
    "The score understates the risk: the adult who drives Jade has been seen with "
    "two other girls who were exploited, and she went missing again last night."
)
CARE_SECTION = "Allocated social worker since March; visits weekly. Safety plan agreed with Mum."
HEALTH_SECTION = "Seen by the school nurse twice this term; asked about emergency contraception."


def new_desk(page: Page) -> Page:
    """Another person at their own desk: a second browser context (a fresh
    session; a security code cannot be used twice within 30 seconds)."""
    context = page.context.browser.new_context(locale="en-GB", timezone_id="Europe/London")
    return context.new_page()


def indicator(page: Page, text: str):
    return page.locator(".harbour-indicator", has=page.locator("legend", has_text=text))


def test_two_agencies_contribute_the_lead_judges_a_supervisor_signs_off(
    journey_day, live_server, chromium, template, jade, jades_case, amira, grace, sam
) -> None:
    amira_key, grace_key, sam_key = device_key(amira), device_key(grace), device_key(sam)
    record_url = f"{live_server.url}/young-people/{jade.pk}/"
    review_by = next_review("high", timezone.localdate())
    review_text = f"{review_by.day} {review_by:%B %Y}"

    with chromium() as page:
        # Amira, the lead professional, starts the assessment from the record.
        sign_in(page, live_server.url, "amira", amira_key)
        page.goto(record_url)
        expect(page.locator("#assessments")).to_contain_text("No assessment yet.")
        page.get_by_role("button", name="Start a risk assessment").click()
        expect(page.get_by_role("heading", name="Complete the risk assessment")).to_be_visible()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Assessment started")
        edit_url = page.url
        assert re.search(r"/assessments/\d+/edit/$", edit_url), edit_url
        assessment_url = edit_url.removesuffix("edit/")

        # It saves as she types: no button pressed, nothing lost on reload.
        status = page.locator("#draft-status")
        expect(status).not_to_contain_text("Saved at")
        views = page.get_by_label("The young person's views, in their own words")
        views.press_sequentially(VIEWS)
        expect(status).to_contain_text(SAVED, timeout=10_000)
        page.reload()
        expect(page.get_by_label("The young person's views, in their own words")).to_have_value(
            VIEWS
        )

        # Two risk indicators present, with when and the evidence; the
        # suggestion follows the answers.
        for text, when, evidence in (
            (
                MISSING,
                "Last night, and twice in May",
                "Reported missing by her carer (police log).",
            ),
            (PARTNER, "Since Easter", "Jade calls a 24-year-old man her partner."),
        ):
            row = indicator(page, text)
            row.get_by_label("Present", exact=True).check()
            page.get_by_label(f"When: {text}").fill(when)
            page.get_by_label(f"Evidence: {text}").fill(evidence)
        expect(page.locator("#suggested-level")).to_contain_text("Medium (score 6)", timeout=10_000)
        # Every other question answered: a strength, and the rest not present.
        indicator(page, STRENGTH).get_by_label("Present", exact=True).check()
        for group in page.locator(".harbour-indicator").all():
            if group.locator("input[value=present]").is_checked():
                continue
            group.get_by_label("Not present", exact=True).check()
        page.get_by_label("Parents' and carers' views").fill("Mum wants Jade home and safe.")

        # She judges high, differing from the suggestion, with no rationale yet.
        page.locator("input[name=judged_level][value=high]").check()
        page.get_by_role("button", name="Submit for sign-off").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("There is a problem")
        expect(summary).to_contain_text(
            "Your judgement differs from the suggested level (medium): give your rationale."
        )
        # No agency has written yet either: each problem is named at once.
        expect(summary).to_contain_text("No agency has contributed a section yet")
        # Nothing typed is lost.
        expect(page.get_by_label("The young person's views, in their own words")).to_have_value(
            VIEWS
        )
        expect(page.locator("input[name=judged_level][value=high]")).to_be_checked()
        expect(page.get_by_label(f"Evidence: {PARTNER}")).to_have_value(
            "Jade calls a 24-year-old man her partner."
        )
        expect(indicator(page, MISSING).get_by_label("Present", exact=True)).to_be_checked()
        page.get_by_label("Rationale").fill(RATIONALE)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("heading", name="Risk assessment", exact=True)).to_be_visible()
        expect(page.locator("#judged-level")).to_contain_text("High")

        # Children's social care writes its section (first agency).
        page.get_by_role("link", name="Add the section for Kingsmere Children's Services").click()
        page.get_by_label("What your agency knows, and what it is doing").fill(CARE_SECTION)
        page.get_by_role("button", name="Save section").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "The section for Kingsmere Children's Services is saved"
        )
        expect(page.locator("#sections")).to_contain_text(CARE_SECTION)
        amira_page = page

        # Grace, the school nurse, writes health's section at her own desk;
        # it saves as she types.
        page = new_desk(page)
        sign_in(page, live_server.url, "grace", grace_key)
        page.goto(record_url)
        page.locator("#assessments").get_by_role("link").first.click()
        expect(page.locator("#assessment-status")).to_contain_text("Draft")
        page.get_by_role("link", name="Add the section for Kingsmere and Afon Health Board").click()
        page.get_by_label("What your agency knows, and what it is doing").press_sequentially(
            HEALTH_SECTION
        )
        expect(page.locator("#draft-status")).to_contain_text(SAVED, timeout=10_000)
        page.get_by_role("button", name="Save section").click()
        sections = page.locator("#sections")
        expect(sections).to_contain_text("Kingsmere and Afon Health Board")
        expect(sections).to_contain_text(HEALTH_SECTION)
        expect(sections).to_contain_text(CARE_SECTION)
        page.context.close()

        # Amira submits.
        page = amira_page
        page.get_by_role("link", name="Continue the assessment").click()
        expect(page.get_by_label("Rationale")).to_have_value(RATIONALE)
        page.get_by_role("button", name="Submit for sign-off").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Submitted for sign-off")
        expect(page.locator("#assessment-status")).to_contain_text("Submitted")
        # She wrote it: she cannot sign it off.
        expect(page.get_by_role("button", name="Sign off")).to_have_count(0)

        # Sam, her supervisor, signs it off.
        page = new_desk(page)
        sign_in(page, live_server.url, "sam", sam_key)
        page.goto(assessment_url)
        levels = page.locator("#levels")
        expect(levels).to_contain_text("Medium")
        expect(levels).to_contain_text("High")
        expect(levels).to_contain_text(RATIONALE)
        expect(page.locator("#young-persons-views")).to_contain_text(VIEWS)
        page.get_by_label("Comments").fill("Agreed: high. Strategy discussion this week.")
        page.get_by_role("button", name="Sign off").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"Signed off. The next review is due by {review_text}."
        )
        expect(page.locator("#assessment-status")).to_contain_text("Signed off")
        expect(page.locator("#next-review")).to_contain_text(review_text)
        expect(page.locator("#history")).to_contain_text("signed off by Sam Hughes")

        # The trajectory on the record moves.
        page.goto(record_url)
        expect(page.locator("#trajectory svg circle")).to_have_count(1)
        expect(page.locator("#trajectory-caption")).to_contain_text(
            f"high ({timezone.localdate():%b %Y})"
        )
        expect(page.locator("#assessment-review")).to_contain_text(f"Next review by {review_text}")
        expect(page.locator("#assessments")).to_contain_text(
            "signed off, judged high (suggested medium)"
        )
        page.context.close()

    assessment = Assessment.objects.get(case=jades_case)
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert (assessment.suggested_level, assessment.score) == ("medium", 6)
    assert assessment.judged_level == "high"
    assert assessment.rationale == RATIONALE
    assert assessment.young_persons_views == VIEWS
    assert assessment.signed_off_by == sam
    assert assessment.next_review_on == review_by
    assert sorted(assessment.sections.values_list("agency__name", flat=True)) == [
        "Kingsmere Children's Services",
        "Kingsmere and Afon Health Board",
    ]
    present = assessment.answers.filter(
        answer=Answer.PRESENT, indicator__domain__kind=DomainKind.RISK
    )
    assert sorted(present.values_list("indicator__text", flat=True)) == [PARTNER, MISSING]
    assert assessment.answers.get(indicator__text=STRENGTH).answer == Answer.PRESENT
    assert not assessment.answers.filter(answer="").exists()
    jades_case.refresh_from_db()
    assert jades_case.risk_level == "high"
