"""The language check's engine: rules over word forms and roles, not strings.

A sentence goes through spaCy's tokenizer and sentence splitter, and each
word gets its lemma from spaCy's maintained lookup tables ("sent", "sending"
and "sends" are all "send"). Rules (rules.toml) are spaCy `Matcher` patterns
over those lemmas, and each may name conditions on who is who in the sentence:
the doer of a verb is a child and the other party an adult ("Tia sent images
to the 24-year-old"), but not "the man sent Tia images", "Tia was sent
images", "Tia was made to send" or "Tia sent a message to her social worker".

Who is who (roles.py) comes from the word classes in lexicon.toml, ages
and pronouns. There is no trained parser: none is published by spaCy's maintainers on the
package registry, and a rule a CSE lead can read is worth more here than a
statistical guess nobody can explain.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from assessments.language.roles import Sentence
from assessments.language.words import HERE, english_lemmas, lemma_overrides, lemma_table

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    label: str
    suggestion: str
    why: str
    patterns: tuple[tuple[dict[str, Any], ...], ...]
    when: tuple[str, ...] = ()
    unless: tuple[tuple[dict[str, Any], ...], ...] = ()
    # Drop-in wordings by the form of the first word matched ("ing", "ed", "s").
    forms: dict[str, str] = field(default_factory=dict)
    # The suggestion rephrases the sentence: advice, not words to drop in.
    advice: bool = False


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    phrase: str
    suggestion: str
    rule: str
    why: str
    category: str = ""
    # Whether `suggestion` can replace `phrase` as it stands ("Use this wording").
    drop_in: bool = True


@dataclass(frozen=True)
class Ruleset:
    version: str
    categories: dict[str, dict[str, str]]
    rules: tuple[Rule, ...]


def _patterns(raw: list) -> tuple[tuple[dict[str, Any], ...], ...]:
    return tuple(tuple(dict(token) for token in pattern) for pattern in raw)


@cache
def ruleset() -> Ruleset:
    data = tomllib.loads((HERE / "rules.toml").read_text(encoding="utf-8"))
    rules = tuple(
        Rule(
            id=raw["id"],
            category=raw["category"],
            label=raw.get("label", raw["id"].replace("_", " ")),
            suggestion=raw["suggestion"],
            why=raw["why"],
            patterns=_patterns(raw["patterns"]),
            when=tuple(raw.get("when", ())),
            unless=_patterns(raw.get("unless", [])),
            forms=dict(raw.get("forms", {})),
            advice=bool(raw.get("advice", False)),
        )
        for raw in data["rule"]
    )
    return Ruleset(version=data["version"], categories=data["categories"], rules=rules)


@dataclass(frozen=True)
class _Pattern:
    order: int
    rule: Rule
    anchors: tuple[frozenset[str], ...]
    matcher: Any


@dataclass(frozen=True)
class _Matchers:
    index: dict[str, list[_Pattern]]
    always: tuple[_Pattern, ...]
    unless: dict[str, Any]


@cache
def _pipeline():
    """spaCy's English tokenizer and sentence splitter, the lookup lemmas, and
    for each rule its patterns, each as a Matcher with the words one of which
    a sentence must have for it to match, so a sentence is matched only
    against the patterns whose words it has."""
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    table = lemma_table()
    patterns: list[_Pattern] = []
    unless: dict[str, Any] = {}
    for order, rule in enumerate(ruleset().rules):
        if rule.unless:
            unless[rule.id] = Matcher(nlp.vocab, validate=True)
            unless[rule.id].add(f"{rule.id}!", [list(p) for p in rule.unless])
        for n, pattern in enumerate(rule.patterns):
            matcher = Matcher(nlp.vocab, validate=True)
            matcher.add(f"{rule.id}.{n}", [list(pattern)])
            patterns.append(_Pattern(order, rule, _anchors(pattern), matcher))
    # Which patterns a word can start: each is listed under the words of its
    # rarest required token, so a sentence looks up only its own words.
    index: dict[str, list[_Pattern]] = {}
    always = []
    for pattern in patterns:
        if pattern.anchors:
            for word in pattern.anchors[0]:
                index.setdefault(word, []).append(pattern)
        else:
            always.append(pattern)
    return nlp, table, _Matchers(index, tuple(always), unless)


def _values(token: dict[str, Any]) -> frozenset[str] | None:
    """The words a pattern token accepts, or None when it accepts any."""
    for key in ("LEMMA", "LOWER"):
        if key in token:
            value = token[key]
            if isinstance(value, str):
                return frozenset({value})
            if isinstance(value, dict) and "IN" in value:
                return frozenset(value["IN"])
            return None
    return None


_COMMON = frozenset(
    """the a an her his their to for with in on at of be is was are were been it this that
        have has had do did does - and or up out him them she he they not n't very so by as
        from about around off back round over into get got go went make made seem away
        adult man men""".split()
)


def _anchors(pattern: tuple[dict[str, Any], ...]) -> tuple[frozenset[str], ...]:
    """For each token the pattern requires, the words one of which must be in
    a sentence for the pattern to match there; a sentence that lacks any set
    cannot match and is not tried (a pattern of wildcards is always tried)."""
    required = []
    for token in pattern:
        op = str(token.get("OP", ""))
        if op in {"?", "*"} or op.startswith("{0"):
            continue
        values = _values(token)
        if values is not None:
            required.append(values)
    # The rarest words first, so a sentence is turned away at the first test.
    return tuple(sorted(required, key=lambda values: (len(values & _COMMON), len(values))))


def _lemma(table, lower: str) -> str:
    found = lemma_overrides().get(lower) or table.get(lower)
    if found is not None:
        return found
    # Words the tables do not know ("texted", "snapchatted", "dming"): a
    # suffix comes off only when what is left is a word (English or a rule's),
    # so "unwilling" stays "unwilling".
    known = _known_words()
    for suffix, back in (("tted", "t"), ("ted", "t"), ("ed", ""), ("ing", ""), ("s", "")):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            stem = lower[: -len(suffix)] + back
            found = table.get(stem, stem)
            if found in known:
                return found
    return lower


@cache
def _known_words() -> frozenset[str]:
    return english_lemmas() | _rule_lemmas()


@cache
def _rule_lemmas() -> frozenset[str]:
    words: set[str] = set()
    for rule in ruleset().rules:
        for pattern in rule.patterns + rule.unless:
            for token in pattern:
                value = token.get("LEMMA")
                if isinstance(value, str):
                    words.add(value)
                elif isinstance(value, dict):
                    words.update(value.get("IN", ()))
    return frozenset(words)


def _prepare(text: str) -> Doc:
    nlp, table, _ = _pipeline()
    doc = nlp.make_doc(text)
    for token in doc:
        token.lemma_ = _lemma(table, token.lower_)
    return nlp.get_pipe("sentencizer")(doc)


def sentences(text: str) -> list[Sentence]:
    return [Sentence(span) for span in _prepare(text).sents]


def matches(sentence: Sentence) -> list[tuple[Rule, int, int]]:
    """(rule, start, end) for each pattern match in the sentence, token offsets
    within it, after the rule's own exceptions."""
    _, _, matchers = _pipeline()
    words = set(sentence.lower) | set(sentence.lemma)
    candidates = {id(p): p for p in matchers.always}
    for word in words:
        for pattern in matchers.index.get(word, ()):
            candidates[id(pattern)] = pattern
    found: dict[str, list[tuple[int, int]]] = {}
    rules: dict[str, tuple[int, Rule]] = {}
    for pattern in candidates.values():
        if not all(not needed.isdisjoint(words) for needed in pattern.anchors[1:]):
            continue
        spans = [(start, end) for _, start, end in pattern.matcher(sentence.span)]
        if spans:
            found.setdefault(pattern.rule.id, []).extend(spans)
            rules[pattern.rule.id] = (pattern.order, pattern.rule)
    out = []
    for rule_id, (_order, rule) in sorted(rules.items(), key=lambda item: item[1][0]):
        unless = matchers.unless.get(rule_id)
        if unless is not None and unless(sentence.span):
            continue
        out.extend((rule, start, end) for start, end in found[rule_id])
    return out
