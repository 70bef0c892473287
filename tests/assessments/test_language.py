"""The language check against its labelled corpus: prints precision and recall."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assessments.language.rules import RULES, VERSION, check

CORPUS = Path(__file__).resolve().parents[2] / "assessments" / "language" / "corpus.tsv"


def corpus() -> list[tuple[str, set[str]]]:
    lines = [line for line in CORPUS.read_text().splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    return [(row["sentence"], {r for r in (row["expected"] or "").split(",") if r}) for row in rows]


def test_the_corpus_is_big_enough_and_covers_every_rule() -> None:
    sentences = corpus()
    assert len(sentences) >= 150
    used = set().union(*(expected for _, expected in sentences))
    assert used == {rule.id for rule in RULES}, "every rule has a sentence that triggers it"
    assert sum(1 for _, expected in sentences if not expected) >= 60  # near misses


def test_precision_and_recall_on_the_corpus(capsys) -> None:
    true_positive = false_positive = false_negative = 0
    mistakes = []
    for sentence, expected in corpus():
        found = {finding.rule for finding in check(sentence)}
        true_positive += len(found & expected)
        false_positive += len(found - expected)
        false_negative += len(expected - found)
        if found != expected:
            mistakes.append((sentence, sorted(expected), sorted(found)))
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    with capsys.disabled():
        print(
            f"\nlanguage check {VERSION}: precision {precision:.3f}, recall {recall:.3f} "
            f"({true_positive} found, {false_positive} false alarms, {false_negative} missed)"
        )
        for sentence, expected, found in mistakes:
            print(f"  expected {expected} found {found}: {sentence}")
    assert precision >= 0.95
    assert recall >= 0.95


@pytest.mark.parametrize(
    ("text", "phrase", "suggestion"),
    [
        (
            "Jade is putting herself at risk.",
            "putting herself at risk",
            "at risk of being exploited",
        ),
        ("Notes: she was PUT THEMSELVES in danger", "PUT THEMSELVES in danger", "exploited"),
        ("Her boyfriend is 24 years old.", "Her boyfriend", "the adult"),
    ],
)
def test_findings_carry_offsets_the_phrase_and_a_suggestion(text, phrase, suggestion) -> None:
    (finding,) = check(text)
    assert text[finding.start : finding.end] == phrase
    assert finding.phrase == phrase
    assert suggestion in finding.suggestion


def test_offsets_hold_across_sentences_and_lines() -> None:
    text = "First line is fine.\nShe absconded. Later she was streetwise!"
    findings = check(text)
    assert [text[f.start : f.end] for f in findings] == ["absconded", "streetwise"]


def test_nothing_to_find_in_empty_or_plain_text() -> None:
    assert check("") == []
    assert check("She went to school and met her key worker.") == []
