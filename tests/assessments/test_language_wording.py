""" "Use this wording" leaves a sentence that reads: the suggestion is fitted
to the writer's words around it (assessments/language/wording.py)."""

from __future__ import annotations

import re

import pytest

from assessments.language import evaluation
from assessments.language.rules import check


def _use_every_wording(text: str) -> str:
    for finding in reversed(check(text)):
        if finding.drop_in:
            text = text[: finding.start] + finding.suggestion + text[finding.end :]
    return text


@pytest.mark.parametrize(
    ("written", "reworded"),
    [
        (
            "Tia has been sending images to a 24-year-old man.",
            "Tia has been made to send images to a 24-year-old man.",
        ),
        ("Kai is in a relationship with a 30-year-old.", "Kai is being abused by a 30-year-old."),
        (
            "Her boyfriend, who is 27, picks her up from school.",
            "The adult who is abusing her, who is 27, picks her up from school.",
        ),
        ("Tia met up with the 30-year-old.", "Tia was contacted by the 30-year-old."),
        ("She has been texting a 40-year-old man", "She has been contacted by a 40-year-old man"),
        (
            "Tia has contacted the 30-year-old again.",
            "Tia has been contacted by the 30-year-old again.",
        ),
        ("She consented to sex with the man.", "She was coerced into sex with the man."),
        ("Tia is sexually active with older men.", "Tia is being sexually abused by older men."),
        ("Tia is sexually active.", "Tia is being sexually abused."),
        ("Tia enjoys the attention from older men.", "Tia is being groomed by older men."),
        ("Mia is a child prostitute.", "Mia is a child being sexually exploited."),
        (
            "Liam is a drug runner for the gang.",
            "Liam is a child being criminally exploited for the gang.",
        ),
        ("Tia absconded from placement.", "Tia went missing from placement."),
        (
            "His girlfriend, who is 30, collects him.",
            "The adult who is abusing him, who is 30, collects him.",
        ),
    ],
)
def test_a_suggestion_fits_the_sentence_it_goes_into(written: str, reworded: str) -> None:
    assert _use_every_wording(written) == reworded


def test_a_rephrasing_is_advice_not_a_drop_in() -> None:
    [finding] = check("He refuses to engage with services.")
    assert not finding.drop_in
    assert finding.suggestion.startswith("services have not yet found")


_DOUBLED = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
_BROKEN = re.compile(
    r"\bbeen being\b|\b(?:her|his|their) the adult\b|\b(?:a|an|the) (?:a|an|the)\b|\ba [aeiou]"
    r"|\w['’]s the adult\b|\b(?:by|to) (?!the|a|an|her|his|their|him|them)[a-z]+ing\b",
    re.I,
)


def test_no_drop_in_on_the_development_sentences_doubles_or_breaks_a_phrase() -> None:
    harmful = [e.sentence for e in evaluation.development() if e.category]
    broken = []
    for sentence in harmful:
        after = _use_every_wording(sentence)
        new = _DOUBLED.findall(after.lower())
        more_broken = len(_BROKEN.findall(after)) > len(_BROKEN.findall(sentence))
        if more_broken or set(new) - set(_DOUBLED.findall(sentence.lower())):
            broken.append((sentence, after))
    assert not broken, "\n".join(f"{a}\n  -> {b}" for a, b in broken[:30])
