"""The language check in Chromium, in a case note: see the phrase marked, use
the suggested wording with the keyboard, and keep one's own words with a reason.

The database is checked after ``with chromium() as page``: Playwright's event
loop forbids ORM calls inside the block.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.language import rules as language
from assessments.models import LanguageKeep
from tests.browser.test_record_journey import device_key, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMAGES = "Tia has been sending images to a 24-year-old man."
RELATIONSHIP = "Kai is in a relationship with a 30-year-old."


def test_writer_uses_the_wording_and_keeps_their_own(
    live_server, chromium, amira, jade, jades_case
) -> None:
    key = device_key(amira)
    images = language.check(IMAGES)[0]
    relationship = language.check(RELATIONSHIP)[0]
    replaced = IMAGES[: images.start] + images.suggestion + IMAGES[images.end :]

    # A keep without a reason is answered 400 (Chromium logs it).
    with chromium(expected_statuses=(400,)) as page:
        sign_in(page, live_server.url, "amira", key)
        page.goto(f"{live_server.url}/young-people/{jade.pk}/notes/new/")
        expect(page.get_by_role("heading", name="Add a note")).to_be_visible()
        note = page.get_by_label("Note", exact=True)
        findings = page.locator("#text-language")

        note.fill(IMAGES)
        marked = findings.locator("mark", has_text=images.phrase)
        expect(marked).to_have_count(1)
        expect(findings).to_contain_text(images.why)

        # Text changed since the check (before it was checked again): the
        # phrase is no longer at those offsets, so nothing is replaced and
        # the text is checked again, then the wording goes in the right place.
        note.evaluate("el => { el.value = 'Update: ' + el.value; }")
        findings.get_by_role("button", name="Use this wording").first.click()
        expect(page.locator("#text-language-status")).to_contain_text("checking it again")
        expect(note).to_have_value(f"Update: {IMAGES}")
        expect(findings.locator("[data-language-use]").first).to_have_attribute(
            "data-start", str(images.start + len("Update: "))
        )
        note.evaluate("el => { el.value = el.value.slice('Update: '.length); }")
        note.dispatch_event("change")
        expect(findings.locator("[data-language-use]").first).to_have_attribute(
            "data-start", str(images.start)
        )

        # The keyboard alone: focus the button and press Enter.
        use = findings.get_by_role("button", name="Use this wording").first
        use.focus()
        page.keyboard.press("Enter")
        expect(note).to_have_value(replaced)
        expect(note).to_be_focused()
        expect(page.locator("#text-language-status")).to_contain_text("Replaced")
        expect(findings.locator("mark", has_text=images.phrase)).to_have_count(0)
        # As if typed: the browser's undo takes the wording back out.
        page.keyboard.press("Control+z")
        expect(note).to_have_value(IMAGES)

        note.fill(RELATIONSHIP)
        expect(findings.locator("mark", has_text=relationship.phrase)).to_have_count(1)
        findings.locator("summary", has_text="Keep my words").first.click()
        keep = findings.get_by_role("button", name="Keep my words").first
        keep.click()
        expect(findings).to_contain_text("Enter why you are keeping these words")
        reason = findings.get_by_label("Why keep these words?").first
        expect(reason).to_be_focused()
        reason.fill("Quoting Kai's own words")
        # Enter in the box keeps the words; it does not save the note.
        reason.press("Enter")
        expect(findings).to_contain_text("Kept your words")
        expect(findings.locator("mark", has_text=relationship.phrase)).to_have_count(0)
        expect(note).to_have_value(RELATIONSHIP)

        # Later checks of this note leave the kept phrase alone.
        note.press("End")
        note.type(" Seen at school.")
        expect(findings).not_to_contain_text("Kept your words")
        expect(findings.locator("mark", has_text=relationship.phrase)).to_have_count(0)

    kept = LanguageKeep.objects.get()
    assert (kept.user, kept.rule, kept.phrase, kept.reason) == (
        amira,
        relationship.rule,
        relationship.phrase,
        "Quoting Kai's own words",
    )
    assert (kept.form, kept.field) == ("NoteForm", "text")
    assert not jades_case.notes.exists()


def test_a_note_shown_again_after_an_error_is_checked_at_once(
    live_server, chromium, amira, jade, jades_case
) -> None:
    key = device_key(amira)
    text = f"{RELATIONSHIP} {IMAGES}"
    found = language.check(text)
    relationship = next(f for f in found if f.phrase in RELATIONSHIP)
    images = next(f for f in found if f.start >= len(RELATIONSHIP))

    with chromium() as page:
        sign_in(page, live_server.url, "amira", key)
        page.goto(f"{live_server.url}/young-people/{jade.pk}/notes/new/")
        note = page.get_by_label("Note", exact=True)
        findings = page.locator("#text-language")
        note.fill(text)
        expect(findings.locator("mark", has_text=relationship.phrase)).to_have_count(1)
        findings.locator("summary", has_text="Keep my words").first.click()
        findings.get_by_label("Why keep these words?").first.fill("Kai's own words")
        findings.get_by_role("button", name="Keep my words").first.click()
        expect(findings).to_contain_text("Kept your words")

        # Saving is never blocked by the check; here the date is missing.
        page.get_by_label("When it happened").fill("")
        page.get_by_role("button", name="Save note").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
        # Checked on load, before any typing; the phrase kept stays kept.
        findings = page.locator("#text-language")
        expect(findings.locator("mark", has_text=images.phrase)).to_have_count(1)
        expect(findings.locator("mark", has_text=relationship.phrase)).to_have_count(0)
        expect(page.get_by_label("Note", exact=True)).to_have_value(text)

    assert not jades_case.notes.exists()
    assert LanguageKeep.objects.get().reason == "Kai's own words"
