"""Fitting a rule's suggestion into the writer's sentence, so that "Use this
wording" leaves a sentence that reads.

A rule's suggestion is written for the phrase it flags ("was contacted by"
for "contacted"), but the words around the phrase differ from note to note:
"has been sending images to" must become "has been made to send images to",
not "has been being made to send images to to"; "Her boyfriend" must become
"The adult who is abusing her", not "Her the adult ...". Each step below is
one such fit; the finding's span grows to cover words the suggestion already
says, so the replacement is always of exactly the span shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[\w'’-]+")
PREPOSITIONS = frozenset({"by", "with", "to", "from", "into"})
PARTICLES = frozenset({"up", "round", "around", "over", "back", "out", "off", "about"})
# Before a noun: the suggestion's own article or possessive replaces them.
DETERMINERS = frozenset({"a", "an", "the", "her", "his", "their", "my", "our", "your"})
DESCRIBING = frozenset({"older", "new", "adult", "current", "latest", "so-called", "secret"})
# After a phrase, words that begin no noun: a trailing "by" has nothing to take.
CLAUSE_WORDS = frozenset(
    "and but or so because when while again now since until if as than then".split()
)
# Words that can begin the person a trailing "by" or "to" names.
NAMES_SOMEONE = DETERMINERS | frozenset(
    """him them me us older adult adults unknown several two three four men males man
    people strangers someone somebody another other others these those this that""".split()
)
PERFECT = frozenset({"has", "have", "had", "'s", "’s"})
BE = frozenset({"is", "was", "are", "were", "am", "be", "being", "been"})


@dataclass(frozen=True)
class Fitted:
    start: int
    end: int
    wording: str
    # False when the suggestion is advice ("(leave out: ...)", a rephrasing
    # of the whole sentence) rather than words to put in the phrase's place.
    drop_in: bool


def _gap(char: str) -> bool:
    # Spaces between words, not a line break (or a stretch of markup read as spaces).
    return char.isspace() and char not in "\n\r"


def _word_before(text: str, at: int) -> tuple[str, int]:
    """The word ending just before `at` (past one or two spaces) and where it starts."""
    i = at
    while i > 0 and at - i < 2 and _gap(text[i - 1]):
        i -= 1
    j = i
    while j > 0 and _WORD.fullmatch(text[j - 1]):
        j -= 1
    return text[j:i], j


def _word_after(text: str, at: int) -> tuple[str, int]:
    """The word starting just after `at` (past spaces) and where it ends."""
    i = at
    while i < len(text) and i - at < 2 and _gap(text[i]):
        i += 1
    j = i
    while j < len(text) and _WORD.fullmatch(text[j]):
        j += 1
    return text[i:j], j


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t")
    return not before or before[-1] in ".!?\n" or before.endswith(":")


def fit(text: str, start: int, end: int, suggestion: str, advice: bool = False) -> Fitted:
    """The span to replace and the wording to put there."""
    if advice or suggestion.startswith("("):
        return Fitted(start, end, suggestion, drop_in=False)
    words = suggestion.split()
    if not words:
        return Fitted(start, end, suggestion, drop_in=False)
    # The suggestion ends "by"/"with"/"to": take in the phrase's own
    # preposition after it ("being abused by" for "in a relationship" + "with").
    if words[-1].lower() in PREPOSITIONS:
        at = end
        word, after = _word_after(text, at)
        while word.lower() in PARTICLES:
            at, (word, after) = after, _word_after(text, after)
        if word.lower() in PREPOSITIONS:
            end = after
        elif not word or word.lower() in CLAUSE_WORDS:
            words = words[:-1]  # "Tia is sexually active." -> "is being sexually abused."
    # A trailing "by"/"to" must be followed by whom it names: "being contacted
    # by attract" (after "going to attract") is no sentence, so advice only.
    if words[-1].lower() == "by":
        word, _after = _word_after(text, end)
        if word and word[:1].islower() and word.lower() not in NAMES_SOMEONE:
            return Fitted(start, end, " ".join(words), drop_in=False)
    if text[end : end + 2] in {"'s", "’s"}:
        return Fitted(start, end, " ".join(words), drop_in=False)  # "in harm's way"
    # Not the same word twice: "... images to" + "to a 24-year-old".
    word, after = _word_after(text, end)
    if word and word.lower() == words[-1].lower() and len(words) > 1:
        words = words[:-1]
    # The suggestion names its own noun with an article ("the adult who is
    # abusing her"): it replaces "her (older) boyfriend", not just "boyfriend".
    if words[0].lower() in {"a", "an", "the"}:
        word, before = _word_before(text, start)
        if word.lower().endswith(("'s", "’s")):
            # "Amira's boyfriend", "she's friends with": no article fits after it.
            return Fitted(start, end, " ".join(words), drop_in=False)
        if word.lower() in DESCRIBING:
            previous, earlier = _word_before(text, before)
            if previous.lower() in DETERMINERS:
                word, before = previous, earlier
        if word.lower() in DETERMINERS:
            start = before
            # "His girlfriend" is "the adult who is abusing him".
            pronoun = {"his": "him", "their": "them"}.get(word.lower())
            if pronoun and words[-1] == "her":
                words = [*words[:-1], pronoun]
    # The writer's auxiliary already carries the tense.
    word, _before = _word_before(text, start)
    lower = word.lower()
    if len(words) > 1 and words[0] in {"was", "is", "were", "are"}:
        if lower in PERFECT:
            words = ["been", *words[1:]]  # "has contacted" -> "has been contacted by"
            if len(words) > 2 and words[1] == "being":
                words = ["been", *words[2:]]  # "has chosen" -> "has been groomed"
            lower = ""
        elif lower in BE:
            words = words[1:]  # "is mature" -> "is a child"
    if len(words) > 1 and words[0] == "being" and lower in {"been", "be", "being"}:
        words = words[1:]  # "has been sending" -> "has been made to send"
    if len(words) > 1 and words[0].lower() == lower:
        words = words[1:]  # "for being" + "being sexually abused"
    wording = " ".join(words)
    if _sentence_start(text, start) and text[start : start + 1].isupper():
        wording = wording[:1].upper() + wording[1:]
    return Fitted(start, end, wording, drop_in=True)
