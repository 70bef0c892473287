"""The language check: its corpus, its figures on the development sets, the
roles it tells apart, and what each finding carries.

The held-out set is measured in `make bench` (benchmarks/bench_language.py),
not here: a test that failed on it would invite tuning the rules to it."""

from __future__ import annotations

from collections import Counter

import pytest

from assessments.language import evaluation
from assessments.language.conditions import CONDITIONS
from assessments.language.rules import CATEGORIES, RULES, VERSION, check


def test_the_corpus_has_600_sentences_every_category_and_as_many_sound_ones() -> None:
    dev, held = evaluation.development(), evaluation.held_out()
    assert len(dev) + len(held) >= 600
    for examples in (dev, held):
        counts = Counter(example.category for example in examples)
        harmful = sum(n for category, n in counts.items() if category)
        assert counts[evaluation.SOUND] >= harmful, "at least as many sound sentences"
        for category in CATEGORIES:
            assert counts[category] >= 25, f"{category}: {counts[category]}"


def test_the_held_out_set_shares_no_sentence_with_the_development_sets() -> None:
    dev = {example.sentence.casefold() for example in evaluation.development()}
    held = [example.sentence for example in evaluation.held_out()]
    assert not [sentence for sentence in held if sentence.casefold() in dev]


def test_precision_and_recall_on_the_development_sets(capsys) -> None:
    scores = evaluation.score(evaluation.development())
    with capsys.disabled():
        print(
            f"\nlanguage check {VERSION} (development): flagged P {scores.precision:.3f} "
            f"R {scores.recall:.3f}; by category P {scores.by_category_precision:.3f} "
            f"R {scores.by_category_recall:.3f}"
        )
        for example in scores.misses:
            print(f"  missed ({example.category}): {example.sentence}")
        for example, phrases in scores.false_alarms:
            print(f"  false alarm {phrases}: {example.sentence}")
    # A guard against a change that loses ground, below today's figures
    # (flagged P 0.98 R 0.93; by category P 0.98 R 0.91); the 0.95 goal is
    # judged on the held-out set in `make bench`.
    assert scores.precision >= 0.97
    assert scores.recall >= 0.92
    assert scores.by_category_precision >= 0.97
    assert scores.by_category_recall >= 0.90


@pytest.mark.parametrize(
    ("harmful", "sound"),
    [
        # The child as the doer, the adult as the other party; not the reverse,
        # not the passive, not coerced, not a professional.
        (
            "Tia sent explicit images to the 24-year-old.",
            "The 24-year-old sent Tia explicit images.",
        ),
        ("Tia sent explicit images to the 24-year-old.", "Tia was made to send images to the man."),
        (
            "Tia has been messaging a man in his thirties.",
            "Tia has been messaging her social worker.",
        ),
        (
            "Kai slept with an older man at the flat.",
            "The older man was charged after Kai disclosed.",
        ),
        (
            "per RHI Freya stayed overnight at the 28yo's flat and had sex with him",
            "Freya stayed overnight at her nan's.",
        ),
        # An adult as partner; a peer of the same age is a boyfriend.
        ("Her boyfriend is 27.", "Her boyfriend, who is also 15, came to the meeting."),
        (
            "She is in a relationship with a man aged 30.",
            "She has a trusting relationship with her worker.",
        ),
        ("Mia's partner (DOB 1996) was at the address.", "Mum's partner came to the review."),
        # Choice and consent; a sound choice, consent to share.
        ("She chooses to go to these parties.", "She chose to tell her teacher."),
        ("She consented to sex with him.", "Mum consented to the referral."),
        ("She is putting herself at risk.", "The adults are putting her at risk."),
        # Service blame; the service's task.
        ("He refuses to engage.", "We have not yet found a way to engage him."),
        ("She absconded from her placement.", "She went missing from her placement."),
        ("She is out of control.", "The men control her."),
        # Body and sexuality; the abuser's words reported.
        ("She is very mature for her age.", "The man told her she was mature for her age."),
        ("She is sexually active.", "The man was charged with sexual activity with a child."),
        # Outdated terms; the legal terms.
        ("He was found with child pornography.", "He was found with indecent images of children."),
        ("She has been selling sex.", "The man has been selling her to other men."),
        ("Jay, 14, is a drug runner.", "Jay, 14, is being criminally exploited to carry drugs."),
    ],
)
def test_it_tells_the_child_from_the_adult_and_harm_from_sound_writing(harmful, sound) -> None:
    assert check(harmful), harmful
    assert check(sound) == [], sound


@pytest.mark.parametrize(
    ("text", "phrase", "suggestion", "category"),
    [
        (
            "Jade is putting herself at risk.",
            "putting herself at risk",
            "at risk of being exploited",
            "choice_and_lifestyle",
        ),
        (
            "Notes: she was PUT THEMSELVES in danger",
            "PUT THEMSELVES in danger",
            "exploited",
            "choice_and_lifestyle",
        ),
        ("Her boyfriend is 24 years old.", "Her boyfriend", "The adult", "adult_as_partner"),
        ("She absconded again.", "absconded", "went missing", "service_blame"),
        ("He has been absconding.", "absconding", "going missing", "service_blame"),
    ],
)
def test_findings_carry_offsets_the_phrase_a_drop_in_wording_and_the_category(
    text, phrase, suggestion, category
) -> None:
    (finding,) = check(text)
    assert text[finding.start : finding.end] == phrase
    assert finding.phrase == phrase
    assert suggestion in finding.suggestion
    assert finding.category == category
    assert finding.why


def test_offsets_hold_across_sentences_lines_and_markup() -> None:
    text = "First line is fine.\nShe <b>absconded</b>. Later she was streetwise!"
    findings = check(text)
    assert [text[f.start : f.end] for f in findings] == ["absconded", "streetwise"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x00",
        "She went to school and met her key worker.",
        "<<<>>>" * 100,
        "1" * 10_000,
        "é" * 5_000,
        "she " * 20_000,
    ],
)
def test_plain_empty_or_odd_text_gives_no_finding_and_no_error(text) -> None:
    assert check(text) == []


def test_every_rule_is_complete_and_names_only_known_conditions() -> None:
    assert VERSION
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.category in CATEGORIES, rule.id
        for part in (rule.suggestion, rule.why, rule.label, rule.patterns):
            assert part, rule.id
        assert set(rule.when) <= set(CONDITIONS), rule.id
    assert {rule.category for rule in RULES} == set(CATEGORIES)


@pytest.mark.parametrize("run", ["$", "[", "😀", "!", '"', "<"])
def test_a_long_run_of_symbols_is_checked_quickly_and_offsets_hold(run) -> None:
    """spaCy's tokenizer is quadratic in a run of punctuation with no space;
    such a run holds no words and is read as spaces (a review finding: 4,000
    "[" took a second, 20,000 took 27)."""
    text = "Tia had sex with a 25-year-old man. " + run * 50_000 + " She absconded again."
    findings = check(text)  # (the run took minutes before: no timing is asserted here)
    assert [text[f.start : f.end] for f in findings] == [f.phrase for f in findings]
    assert {f.rule for f in findings} == {"child_sexual_act", "absconded"}


def test_a_lone_surrogate_is_no_error() -> None:
    text = "Tia had sex \ud800 with the 24-year-old."
    assert [text[f.start : f.end] for f in check(text)] == [f.phrase for f in check(text)]


def test_a_date_of_birth_is_an_age_on_the_day_it_is_read() -> None:
    import time_machine

    text = "Tia is in a relationship with Leo, DOB 2008."
    with time_machine.travel("2026-12-04", tick=False):
        assert check(text)  # Leo is 18: an adult
    with time_machine.travel("2025-06-01", tick=False):
        assert not check(text)  # Leo is 17
