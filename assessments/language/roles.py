"""Who is who in one sentence: which words name an adult, a child or someone
else, and who does each verb.

Roles come from the word classes in lexicon.toml, an age wherever it is
written ("24", "24-year-old", "aged 24", "in his twenties"), names, and
pronouns, read as the child unless the sentence has named an adult of that
gender first. The conditions (conditions.py) ask these questions of a match.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from assessments.language.words import (
    ADULT_FAMILY,
    AFTER_OBJECT,
    AGE_AFTER_WORD,
    AUX_AFTER_SUBJECT,
    BEFORE_AN_AGE,
    BEFORE_SUBJECT,
    CAPITALISED_NOT_NAMES,
    COMMON_FIRST_WORDS,
    DECADES,
    IMPERATIVE_NEXT,
    IRREGULAR_PARTICIPLES,
    NOT_AGE_AFTER,
    NOT_AGE_BEFORE,
    NOT_AGE_OWNER,
    NOT_OLDER_NOUN,
    NOUN_BEFORE,
    NOUN_PHRASE,
    PARTNER_WORDS,
    PLACES,
    TITLES,
    english_lemmas,
    lemma_table,
    lexicon,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ADULT, CHILD, OTHER = "adult", "child", "other"
AGE_NUMBER = re.compile(r"^(\d{1,2})(?:yo|yrs?|y/o|yr|\+)?$", re.IGNORECASE)
BIRTH_YEAR = re.compile(r"(?:^|/)(19[4-9]\d|20[0-2]\d)$")


class Sentence:
    """Who each word in one sentence names: an adult, a child or someone else."""

    def __init__(self, span: Span) -> None:
        self.span = span
        self.tokens = list(span)
        self.lower = [t.lower_ for t in self.tokens]
        self.lemma = [t.lemma_ for t in self.tokens]
        self.kind: list[str | None] = [None] * len(self.tokens)
        self.gender: list[str] = [""] * len(self.tokens)
        self._ages: list[int | None] = [self._age(i) for i in range(len(self.tokens))]
        self._people()

    # -- ages -------------------------------------------------------------
    def age_at(self, i: int) -> int | None:
        """The age written at token i, if it is one."""
        return self._ages[i]

    def _age(self, i: int) -> int | None:
        words = self.lower
        match = AGE_NUMBER.match(words[i])
        if match:
            value = int(match.group(1))
            after = words[i + 1] if i + 1 < len(words) else ""
            before = words[i - 1] if i > 0 else ""
            if (after in NOT_AGE_AFTER or before in NOT_AGE_BEFORE) and not (
                after in {"year", "yr", "years", "yrs"} or before in {"aged", "age"}
            ):
                return None
            if "." in words[i] or ":" in words[i]:
                return None
            if words[i] != match.group(1) or after in {"year", "years", "yr", "yrs", "yo"}:
                return value
            if before in AGE_AFTER_WORD:
                return value
            if after in frozenset(""") , - yo and or .""".split()) or i + 1 == len(words):
                return value if before not in {"£", "$"} else None
            return None
        year = BIRTH_YEAR.search(words[i])
        if year and any(w in {"dob", "born", "d.o.b", "d.o.b."} for w in words[max(0, i - 3) : i]):
            return date.today().year - int(year.group(1))
        if words[i] in DECADES:
            return DECADES[words[i]]
        if words[i] in {"teens", "teenage", "teenaged"}:
            return 15
        return None

    def _people(self) -> None:
        lex = lexicon()
        words, lemma = self.lower, self.lemma
        n = len(words)
        for i in range(n):
            w, lm = words[i], lemma[i]
            if (
                i == 0
                and n > 1
                and self.tokens[0].is_alpha
                and w not in COMMON_FIRST_WORDS
                and (not opens_fragment(self.tokens[0]))
                and (
                    not self.tokens[0].is_stop
                    and w not in lex["adult"] | lex["child"] | lex["other"]
                    and lemma[1] != words[1]
                    and self.tokens[1].is_alpha
                    and not self.tokens[1].is_stop
                    and lm == w
                )
            ):
                self.kind[0] = CHILD
                continue
            if lm in lex["adult"] or w in lex["adult"]:
                self.kind[i] = ADULT
                self.gender[i] = (
                    "m"
                    if lm in {"man", "male", "gentleman", "guy", "bloke"}
                    else "f"
                    if lm in {"woman", "female"}
                    else ""
                )
            elif lm in lex["child"] or w in lex["child"]:
                self.kind[i] = CHILD
                self.gender[i] = (
                    "f"
                    if lm in {"girl", "daughter", "schoolgirl", "niece"}
                    else ("m" if lm in {"boy", "son", "schoolboy", "nephew"} else "")
                )
            elif lm in lex["other"] or w in lex["other"]:
                self.kind[i] = OTHER
            elif w in {"young", "younger"} and i + 1 < n and lemma[i + 1] in {"person", "people"}:
                self.kind[i] = self.kind[i + 1] = CHILD
            elif (
                w in {"person", "persons", "people"}
                and i + 2 < n
                and words[i + 1] == "of"
                and (words[i + 2] == "concern")
            ):
                self.kind[i] = ADULT
            elif w in TITLES and i + 1 < n:
                self.kind[i] = ADULT  # "Mr H", "Mrs Okafor": a child has no title
            elif i > 0 and words[i - 1] in TITLES:
                self.kind[i] = ADULT
            elif self._is_name(i):
                self.kind[i] = CHILD
        # "female YP", "male child": a modifier of the child, not an adult.
        for i in range(n - 1):
            if words[i] in {"female", "male"} and self.kind[i + 1] == CHILD:
                self.kind[i] = None
        # "her mum's partner", "her cousin's friend": the partner of an adult is an adult.
        for i in range(2, n):
            if (
                words[i] in PARTNER_WORDS
                and words[i - 1] in {"'s", "’s"}
                and (lemma[i - 2] in ADULT_FAMILY or words[i - 2] in ADULT_FAMILY)
            ) or (
                words[i] == "partner"
                and words[i - 1] == "-"
                and words[i - 2] == "ex"
                and i >= 4
                and words[i - 3] in {"'s", "’s"}
            ):
                self.kind[i] = ADULT
        # Ages mark the noun they belong to, or stand for the person ("the 24-year-old").
        for i in range(n):
            age = self.age_at(i)
            if age is None:
                continue
            who = ADULT if age >= 18 else CHILD
            target = self._age_owner(i)
            if target is not None and (
                self.kind[target] != OTHER
                or words[target] in PARTNER_WORDS
                or (who == ADULT and words[target] not in {"we", "i", "us", "me"})
            ):
                self.kind[target] = who
            self.kind[i] = who
        # "older" / "grown" / "adult" before a noun makes it an adult one.
        for i in range(n - 1):
            if words[i] in {"older", "grown", "adult", "elderly", "middle-aged", "grown-up"}:
                j = i + 1
                while (
                    j < n
                    and j < i + 3
                    and self.kind[j] is None
                    and words[j] in frozenset("""- up white asian black local known""".split())
                ):
                    j += 1
                if (
                    j < n
                    and (self.kind[j] in (None, CHILD, OTHER))
                    and words[j] not in NOT_OLDER_NOUN
                    and self.tokens[j].is_alpha
                    and (self.kind[j] != OTHER or words[j] in PARTNER_WORDS)
                ):
                    self.kind[j] = ADULT
                self.kind[i] = ADULT if self.kind[i] is None else self.kind[i]
        self._pronouns()
        self._declared_adults()

    def _age_owner(self, i: int) -> int | None:
        """The noun an age belongs to: "a 24-year-old man", "the man, 24", "Jade (14)",
        "her boyfriend is 27", "a man aged 30", "a woman in her thirties"."""
        words = self.lower
        n = len(words)
        # Forwards over "-year-old" to a noun.
        j = i + 1
        while j < n and words[j] in frozenset("""- year years yr yrs old yo""".split()):
            j += 1
        if AGE_NUMBER.match(words[i]) and not words[i].isdigit():
            j = i + 1  # "15yo female", "24yrs male"
        if (
            j < n
            and (j > i + 1 or not words[i].isdigit())
            and self.tokens[j].is_alpha
            and words[j] not in NOT_AGE_OWNER
        ):
            return j
        # Backwards over "(", ",", "aged", "is", "in his", "mid-", "late".
        k = i - 1
        while k >= 0 and words[k] in BEFORE_AN_AGE:
            k -= 1
        if k >= 0 and self.tokens[k].is_alpha:
            return k
        return None

    def _is_name(self, i: int) -> bool:
        token = self.tokens[i]
        text = token.text
        if not (token.is_alpha and text[:1].isupper()):
            return False
        if len(text) == 1 and text not in {"I", "A"} and i + 1 < len(self.tokens):
            # An initial for a name before its verb: "T has been messaging him".
            after = self.tokens[i + 1]
            return after.lemma_ != after.lower_ or after.lower_ in AUX_AFTER_SUBJECT
        if text.isupper() and len(text) <= 4:
            return False  # CSE, MACE, YP
        lower = token.lower_
        if lower in CAPITALISED_NOT_NAMES or lower in lexicon()["subject"]:
            return False
        if i == 0:
            # A capitalised first word is a name only when it is not an
            # ordinary word ("The", "Following", "Police") or an inflected
            # verb opening a fragment ("Contacted online by ...", "Staying at").
            return (
                lower not in COMMON_FIRST_WORDS
                and not token.is_stop
                and not opens_fragment(token)
                and not ordinary_first_word(token, self.tokens[1] if len(self.tokens) > 1 else None)
            )
        return True

    def _pronouns(self) -> None:
        """A pronoun is the child unless the sentence has already named an
        adult of that gender and no child of it ("the man said he ...")."""
        lex = lexicon()
        seen: dict[str, str] = {}
        for i, w in enumerate(self.lower):
            if (
                self.kind[i] in (ADULT, CHILD)
                and w not in lex["female"] | lex["male"] | lex["plural"]
            ):
                # The first person named of a gender claims its pronouns; an
                # adult of no stated gender ("the 28yo") claims only "they",
                # since "he" or "she" in a note is most often the child.
                g = self.gender[i]
                keys = [g] if g else ["m", "f", "p"] if self.kind[i] == CHILD else ["p"]
                for key in keys:
                    seen.setdefault(key, self.kind[i])
                continue
            gender = (
                "f"
                if w in lex["female"]
                else "m"
                if w in lex["male"]
                else ("p" if w in lex["plural"] else "")
            )
            if not gender:
                continue
            self.gender[i] = gender
            self.kind[i] = ADULT if seen.get(gender) == ADULT else CHILD
            if self.kind[i] == CHILD and self._object_pronoun(i):
                # An object pronoun is not its clause's subject (that would be
                # "himself"): after the child as subject, it is the adult named
                # before ("Freya stayed at the 28yo's flat and had sex with him").
                j, _how = self.doer(i)
                if (
                    j is not None
                    and self.kind[j] == CHILD
                    and any(
                        self.kind[k] == ADULT and self.gender[k] in ("", gender) and k != j
                        for k in range(i)
                    )
                ):
                    self.kind[i] = ADULT

    def _declared_adults(self) -> None:
        """A pronoun said to be an adult later in the sentence ("messaging him
        again: he is an adult", "rang him at 2am ... he is 33") is the adult
        wherever it stands."""
        n = len(self.lower)
        for i in range(n - 2):
            if self.lower[i] not in {"he", "she"} or self.lower[i + 1] not in {"is", "'s", "was"}:
                continue
            ages = [self.age_at(k) or 0 for k in range(i + 2, min(n, i + 5))]
            if "adult" not in self.lower[i + 2 : i + 5] and max(ages, default=0) < 18:
                continue
            for k in range(i + 1):
                same = self.gender[k] == self.gender[i] and self.kind[k] == CHILD
                if same and (
                    k == i or (self.lower[k] in {"him", "her"} and self._object_pronoun(k))
                ):
                    self.kind[k] = ADULT

    def _object_pronoun(self, i: int) -> bool:
        w = self.lower[i]
        if w in {"him", "them"}:
            return True
        if w != "her":
            return False
        if i + 1 == len(self.lower):
            return True
        return not self.tokens[i + 1].is_alpha or self.lower[i + 1] in AFTER_OBJECT

    # -- roles ------------------------------------------------------------
    def doer(self, i: int) -> tuple[int | None, str]:
        """Who does the verb at token i, and how: ("active" | "passive" |
        "coerced" | "negated").

        Walks left over auxiliaries, adverbs and objects ("approached Rhys
        and offered him"), past coordinated verbs, to the first person-word in
        a subject's place; a relative "who" hands over to the noun before it."""
        lex = lexicon()
        words, lemma = self.lower, self.lemma
        how = "active"
        passive = False
        j = i - 1
        while j >= 0:
            w = words[j]
            if w in {"who", "that", "which", "whom"} and j > 0:
                # A relative clause: its doer is the person just before "who".
                near = self.nearest_person(j)
                if near is not None and (w == "who" or self.kind[near] is not None):
                    j = near
                    break
            if self.kind[j] in (ADULT, CHILD, OTHER) and w not in {
                "her",
                "him",
                "them",
                "me",
                "us",
            }:
                if self._subject_place(j):
                    break
            elif w in lex["negation"] and how == "active" and j >= i - 4:
                how = "negated"
            elif w in lex["coerced"] and any(
                words[k] in {"to", "into"} for k in range(j + 1, min(i + 1, j + 4))
            ):
                how = "coerced"
            elif w == "by" and j > 0 and words[j - 1] not in {"stand", "stood", "go", "went"}:
                passive = True
            elif w in {";", ":"}:
                return None, how
            j -= 1
        if j < 0:
            return None, how
        # Passive: a form of "be" or "get" directly before a past participle.
        verb = words[i]
        prev = words[i - 1] if i > 0 else ""
        if (
            prev
            in frozenset("""was were been being be is are got get gets getting 's 're""".split())
            and not verb.endswith("ing")
            and lemma[i] != verb
        ):
            passive = True
        if passive:
            how = "passive"
        return j, how

    def _subject_place(self, j: int) -> bool:
        """A person-word at j stands where a subject does (sentence start,
        after a conjunction, comma or reporting verb), not as an object."""
        n = len(self.lower)
        if j + 1 < n and self.lower[j + 1] in {"'s", "’s"}:
            # "Keira's been ..." is a subject; "Maisie's number" a possessive.
            after = self.lower[j + 2] if j + 2 < n else ""
            verb_form = after.endswith(("ed", "ing")) or after in IRREGULAR_PARTICIPLES | {
                "got",
                "gone",
            }
            return after in lexicon()["aux"] or (
                j + 2 < n and self.lemma[j + 2] != after and verb_form
            )
        if j + 1 < n and self.lower[j + 1] in AUX_AFTER_SUBJECT:
            return True
        if (
            j + 1 < n
            and self.kind[j] == CHILD
            and self.tokens[j].text[:1].isupper()
            and (self.lemma[j + 1] != self.lower[j + 1] and self.tokens[j + 1].is_alpha)
            and (
                j == 0 or self.lemma[j - 1] == self.lower[j - 1] or not self.tokens[j - 1].is_alpha
            )
        ):
            return True  # "per RHI Freya stayed ...": a name before an inflected verb
        k = j - 1
        while k >= 0 and (self.lower[k] in NOUN_PHRASE or self.age_at(k) is not None):
            k -= 1
        if k < 0:
            return True
        w = self.lower[k]
        if self.lower[k + 1] in {"'s", "’s"} if k + 1 < j else False:
            return False
        return w in BEFORE_SUBJECT or (not self.tokens[k].is_alpha and w not in {"'s", "’s"})

    def nearest_person(self, i: int, skip_places: bool = False) -> int | None:
        """The nearest person-word before token i, in any place (with
        `skip_places`, not an institution: "a reputation at school for ...",
        nor the agent of a passive: "described by staff as ...")."""
        for j in range(i - 1, -1, -1):
            if skip_places and (self.lower[j] in PLACES or (j > 0 and self.lower[j - 1] == "by")):
                continue
            if self.kind[j] in (ADULT, CHILD, OTHER):
                return j
        return None

    def note_style(self, i: int) -> bool:
        """Nothing but auxiliaries and adverbs before token i in its clause:
        a note with the subject left out ("went round and had sex with him")."""
        lex = lexicon()
        for j in range(i - 1, -1, -1):
            w = self.lower[j]
            if w in {":", ";", "-", "–"}:
                return True
            if self.tokens[j].is_alpha and w not in lex["aux"]:
                return False
        return True

    def is_noun_here(self, i: int) -> bool:
        """The word at i follows a determiner or adjective: "her phone",
        "sexual messages", so it is a thing, not a verb."""
        return i > 0 and self.lower[i - 1] in NOUN_BEFORE

    def adult_after(self, i: int, within: int = 14) -> bool:
        """An adult is named after token i in the same sentence (the other party)."""
        for j in range(i, min(len(self.tokens), i + within)):
            if self.kind[j] == ADULT:
                return True
            if self.lower[j] in {";"}:
                return False
        return False

    def adult_anywhere(self) -> bool:
        return any(kind == ADULT for kind in self.kind)

    def child_age_near(self, i: int, within: int = 7) -> bool:
        for j in range(max(0, i - 2), min(len(self.tokens), i + within)):
            age = self.age_at(j)
            if age is not None and age < 18:
                return True
        return False


def ordinary_first_word(token, following: Token | None) -> bool:
    """A capitalised first word that is English, not a name: an inflected word
    the lemma table knows ("Reasons", "Contacted"), a plural of a word it knows
    ("Referrals"), an imperative before its object ("Select a valid choice"),
    or any English word not followed by a verb ("Time left on ..."). An English
    word that is also a name ("Grace", "Ruby") is a name before a verb:
    "Grace sent", "Ruby is"."""
    lower = token.lower_
    if lemma_table().get(lower) is not None:
        return True
    known = english_lemmas()
    if lower.endswith("s") and lower[:-1] in known:
        return True
    if lower not in known or following is None:
        return False
    if following.lower_ in IMPERATIVE_NEXT:
        return True
    inflected = following.lemma_ != following.lower_
    return not (inflected or following.lower_ in AUX_AFTER_SUBJECT)


def opens_fragment(token) -> bool:
    """An inflected verb as the first word: a fragment with its subject left
    out ("Contacted online by ...", "Staying at ...", "Found ..."), not a name."""
    lower = token.lower_
    return lower in IRREGULAR_PARTICIPLES or (
        token.lemma_ != lower and lower.endswith(("ed", "ing"))
    )
