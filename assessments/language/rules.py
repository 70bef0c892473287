"""The language check: victim-blaming and minimising language about children.

Written for Harbour from the published appropriate-language guidance for
child exploitation (docs/language.md): a child is never described as
choosing, consenting to or causing their own abuse, an adult abuser is never
their partner, and the terms for abuse are the terms for abuse.

`check(text)` returns one `Finding` per problem phrase, with its offsets in
the text, the phrase found, a drop-in wording, why it harms and the guidance
category. The rules are versioned data (rules.toml, lexicon.toml) over word
forms and roles, matched by the engine (engine.py) with the conditions in
conditions.py; a CSE lead reviews them at /language/.
"""

from __future__ import annotations

import re

from assessments.language.conditions import CONDITIONS
from assessments.language.engine import Finding, Rule, matches, ruleset, sentences
from assessments.language.wording import fit

__all__ = ["CATEGORIES", "RULES", "VERSION", "Finding", "Rule", "check"]

_RULESET = ruleset()
VERSION: str = _RULESET.version
RULES: tuple[Rule, ...] = _RULESET.rules
CATEGORIES: dict[str, dict[str, str]] = _RULESET.categories
# The whole check runs on at most this much text: a field's longest.
LIMIT = 200_000
# Markup in pasted text ("<b>absconded</b>") is read as spaces of the same
# length, so the words match and the offsets still point into the original.
_TAG = re.compile(r"<[^<>]{0,200}>")
_NO_WORDS = re.compile(r"[^\w\s]{20,}|\S{200,}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


for _rule in RULES:
    for _name in _rule.when:
        if _name not in CONDITIONS:
            raise ValueError(f"rules.toml: rule {_rule.id} names an unknown condition {_name!r}")


def _form(word: str) -> str:
    if word.endswith("ing"):
        return "ing"
    if word.endswith(("ed", "en")) or word in frozenset(
        """had slept sent met went ran did gave took made chose rang sold got""".split()
    ):
        return "ed"
    if word.endswith("s") and not word.endswith("ss"):
        return "s"
    return "base"


def check(text: str) -> list[Finding]:
    """Every problem phrase in `text`, in order, with where it is and a better wording."""
    if not text or not text.strip():
        return []
    text = text[:LIMIT]
    words = _TAG.sub(_blank, text).replace("\x00", " ")
    # spaCy's tokenizer takes time that grows with the square of a run of
    # punctuation or symbols with no space ("$$$$...", a wall of emoji), and
    # such a run holds no words to check: read it, and any run of 200
    # characters without a space, as spaces. A lone surrogate cannot be
    # encoded at all. Each keeps its length, so the offsets still hold.
    words = _NO_WORDS.sub(_blank, words)
    words = _SURROGATE.sub("\ufffd", words)
    found: list[Finding] = []
    for sentence in sentences(words):
        tokens = sentence.tokens
        for rule, start, end in matches(sentence):
            if not all(CONDITIONS[name](sentence, start, end) for name in rule.when):
                continue
            if not CONDITIONS["not_meta"](sentence, start, end):
                continue
            first, last = tokens[start], tokens[end - 1]
            if end < len(tokens) and not last.whitespace_ and tokens[end].text == "-":
                continue  # part of a compound: "meet-ups", "call-out"
            # A wording for the word itself ("consensual"), else for its form.
            suggestion = (
                rule.forms.get(first.lower_)
                or rule.forms.get(last.lower_)
                or rule.forms.get(_form(first.lower_), rule.suggestion)
            )
            fitted = fit(
                words, first.idx, last.idx + len(last.text), suggestion, advice=rule.advice
            )
            found.append(
                Finding(
                    start=fitted.start,
                    end=fitted.end,
                    phrase=text[fitted.start : fitted.end],
                    suggestion=fitted.wording,
                    rule=rule.id,
                    why=rule.why,
                    category=rule.category,
                    drop_in=fitted.drop_in,
                )
            )
    # One finding per stretch of text: the longest claim wins, then the first rule.
    order = {rule.id: n for n, rule in enumerate(RULES)}
    found.sort(key=lambda f: (f.start, -(f.end - f.start), order[f.rule]))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
