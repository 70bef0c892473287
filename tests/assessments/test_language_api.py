"""/api/v1/language/: the check, keeping words and the rule set, through the
API, with the same rules and access policy as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.language import rules as language
from assessments.models import LanguageKeep
from tests.cse_cases.test_api import token_client

pytestmark = pytest.mark.django_db

TEXT = "Kai is in a relationship with a 30-year-old."


def test_the_api_checks_a_text_with_code_point_offsets(amira) -> None:
    text = "😀 " + TEXT
    response = token_client(amira).post(
        reverse("language-api-check"), {"text": text}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == language.VERSION
    (finding,) = body["findings"]
    assert text[finding["start"] : finding["end"]] == finding["phrase"]
    assert finding["category"] == "adult_as_partner"
    assert finding["drop_in"] is True


def test_a_kept_phrase_is_left_out_of_later_checks(amira) -> None:
    (finding,) = language.check(TEXT)
    kept = f"{finding.rule}:{finding.phrase.casefold()}"
    body = (
        token_client(amira)
        .post(reverse("language-api-check"), {"text": TEXT, "kept": [kept]}, format="json")
        .json()
    )
    assert body["findings"] == []


def test_the_api_keeps_only_flagged_words_with_a_reason(amira) -> None:
    (finding,) = language.check(TEXT)
    client = token_client(amira)
    url = reverse("language-api-keeps")
    data = {"text": TEXT, "rule": finding.rule, "phrase": finding.phrase, "field": "text"}
    empty = client.post(url, {**data, "reason": "  "}, format="json")
    assert empty.status_code == 400
    assert "Enter why you are keeping these words" in str(empty.json())
    other = client.post(url, {**data, "reason": "Why", "phrase": "Jade, 4 High St"}, format="json")
    assert other.status_code == 400
    made = client.post(url, {**data, "reason": "Quoting Kai"}, format="json")
    assert made.status_code == 201
    assert made.json()["reason"] == "Quoting Kai"
    assert LanguageKeep.objects.get().user == amira


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": None},
        {"text": ["a"]},
        {"text": "x" * 50_001},
        {"text": "ok", "kept": "not a list"},
        {"text": "ok", "kept": ["x" * 301]},
        {"text": {"deep": {"deeper": [1, 2, 3]}}},
    ],
)
def test_a_malformed_check_is_a_400(amira, body) -> None:
    response = token_client(amira).post(reverse("language-api-check"), body, format="json")
    assert response.status_code == 400


def test_the_rule_set_is_listed_with_its_version(amira) -> None:
    body = token_client(amira).get(reverse("language-api-rules")).json()
    assert body["version"] == language.VERSION
    assert {rule["id"] for rule in body["rules"]} == {rule.id for rule in language.RULES}
    assert set(body["categories"]) == set(language.CATEGORIES)
