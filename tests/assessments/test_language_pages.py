"""The language check live under free-text fields, and the supervisor's report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cse_cases import services

pytestmark = pytest.mark.django_db


def test_the_check_answers_with_advice_for_one_field(amira, sign_in) -> None:
    response = sign_in(amira).post(
        reverse("language-check"),
        {"field": "concerns", "concerns": "She keeps <b>putting herself at risk</b>."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "you can still save" in page
    assert "“putting herself at risk”" in page
    assert "<b>" not in page
    quiet = sign_in(amira).post(reverse("language-check"), {"field": "x", "x": "All well."})
    assert "Language check" not in quiet.content.decode()


def test_every_free_text_field_asks_for_the_check(amira, jade, jades_case, sign_in) -> None:
    page = sign_in(amira).get(reverse("note-add", args=[jade.pk])).content.decode()
    assert f'hx-post="{reverse("language-check")}"' in page
    assert 'id="text-language"' in page


def test_the_supervisor_sees_notes_worth_rewording(amira, sam, jade, jades_case, sign_in):
    amira.is_verified = lambda: True
    services.case_note_add(
        by=amira,
        case=jades_case,
        note_type="contact_young_person",
        text="Jade absconded again and is very streetwise.",
    )
    services.case_note_add(
        by=amira, case=jades_case, note_type="contact_young_person", text="Met Jade at school."
    )
    page = sign_in(sam).get(reverse("language-report")).content.decode()
    assert "2 checked" in page.replace("(", "").replace(")", "")
    assert "“absconded”: try “went missing”" in page
    assert "Met Jade at school" not in page


def test_the_rules_page_lists_every_rule_under_its_category_with_the_version(amira, sign_in):
    from assessments.language import rules as language

    page = sign_in(amira).get(reverse("language-rules")).content.decode()
    assert f"Rule set version {language.VERSION}" in page
    for key, meta in language.CATEGORIES.items():
        assert f'id="{key}"' in page
        assert meta["label"].replace("'", "&#x27;") in page
    for rule in language.RULES:
        assert rule.why.replace("'", "&#x27;") in page, rule.id
    # Advice that rephrases the sentence is marked as such.
    assert "Advice: reword the sentence." in page
