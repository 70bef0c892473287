"""How well the language check does on a labelled corpus.

The corpus (corpus/*.tsv) is sentences written for Harbour from the
guidance's six categories, each labelled with the category it falls in or
left blank when it is sound writing. `dev-*.tsv` are the development sets the
rules are tuned on; `test.tsv` is held out: written by an author who saw only
the category brief, never the rules, and read by the rules' authors only as
the figures `make bench` prints.

Two measures, both reported:
- **flagged or not**: a harmful sentence with any finding is found; a sound
  sentence with any finding is a false alarm;
- **by category**: recall is the share of a category's sentences with a
  finding of that category; precision is, of the sentences given a finding of
  that category, the share labelled with it, counting only sound sentences
  against it (a second finding in a sentence that is harmful for another
  reason is not a false alarm on sound writing).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assessments.language.rules import CATEGORIES, check

CORPUS = Path(__file__).resolve().parent / "corpus"
SOUND = ""


@dataclass(frozen=True)
class Example:
    sentence: str
    category: str  # one of CATEGORIES, or SOUND
    source: str


def load(*names: str) -> list[Example]:
    """The labelled sentences of the named files (`dev-a.tsv`...)."""
    examples = []
    for name in names:
        lines = [
            line
            for line in (CORPUS / name).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            category = (row["category"] or "").strip()
            if category and category not in CATEGORIES:
                raise ValueError(f"{name}: unknown category {category!r}")
            examples.append(Example(row["sentence"], category, name))
    return examples


def development() -> list[Example]:
    return load(*sorted(p.name for p in CORPUS.glob("dev-*.tsv")))


def held_out() -> list[Example]:
    return load("test.tsv")


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


@dataclass
class Scores:
    examples: int = 0
    flagged_tp: int = 0
    flagged_fp: int = 0
    flagged_fn: int = 0
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    misses: list[Example] = field(default_factory=list)
    false_alarms: list[tuple[Example, list[str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.flagged_tp, self.flagged_tp + self.flagged_fp)

    @property
    def recall(self) -> float:
        return _ratio(self.flagged_tp, self.flagged_tp + self.flagged_fn)

    def category_precision(self, category: str) -> float:
        return _ratio(self.tp[category], self.tp[category] + self.fp[category])

    def category_recall(self, category: str) -> float:
        return _ratio(self.tp[category], self.tp[category] + self.fn[category])

    @property
    def by_category_precision(self) -> float:
        tp = sum(self.tp.values())
        return _ratio(tp, tp + sum(self.fp.values()))

    @property
    def by_category_recall(self) -> float:
        tp = sum(self.tp.values())
        return _ratio(tp, tp + sum(self.fn.values()))


def score(examples: list[Example]) -> Scores:
    scores = Scores(examples=len(examples))
    for example in examples:
        findings = check(example.sentence)
        found = {finding.category for finding in findings}
        if example.category:
            if found:
                scores.flagged_tp += 1
            else:
                scores.flagged_fn += 1
            if example.category in found:
                scores.tp[example.category] += 1
            else:
                scores.fn[example.category] += 1
                scores.misses.append(example)
        elif found:
            scores.flagged_fp += 1
            for category in found:
                scores.fp[category] += 1
            scores.false_alarms.append((example, [f.phrase for f in findings]))
    return scores
