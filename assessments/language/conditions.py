"""The role conditions a rule may name in rules.toml (`when = [...]`).

Each takes the sentence and the match's token offsets within it and says
whether the phrase, there, is about the child in a way the guidance asks us
to change. They are small on purpose: a CSE lead reading a rule should be
able to read its conditions too.
"""

from __future__ import annotations

from collections.abc import Callable

from assessments.language.roles import ADULT, CHILD, OTHER, Sentence, opens_fragment
from assessments.language.words import (
    CAUSE,
    CHOSEN_ENDS,
    CLAUSE_END,
    FRIEND_WORDS,
    GERUND_SUBJECT_NEXT,
    GIFTS,
    INDICATOR_FILLER,
    LABEL_WORDS,
    LEAVING,
    MEET_AGAIN,
    META,
    NOUN_RELATIONSHIP,
    OWNED_ONLY,
    POSITIVE,
    SPEECH,
    WANTED_HARM,
    lexicon,
)

Condition = Callable[[Sentence, int, int], bool]

REPORTED_BEFORE = 7


def _owner(s: Sentence, i: int) -> str | None:
    """Whose phrase this is: a possessive just before it ("her", "the man's"),
    or else the nearest person named before it ("staff describe Lily as ...")."""
    found, kind = _possessive(s, i)
    if found:
        return kind
    words = s.lower
    if i > 0 and words[i - 1] in frozenset("""is was are were being been 's""".split()):
        j, _how = s.doer(i - 1)
        if j is not None:
            return s.kind[j]
    near = s.nearest_person(i, skip_places=True)
    return s.kind[near] if near is not None else None


_AGE_ADJECTIVES = frozenset("""older grown adult elderly middle-aged new ex""".split())
_NOT_ADJECTIVE = frozenset(
    """the a an this that , ; of and by is was are were be been being to with at in on for
        from about towards toward has have had as""".split()
)


def _negated(s: Sentence, i: int, window: int = 3) -> bool:
    neg = lexicon()["negation"]
    return any(s.lower[j] in neg for j in range(max(0, i - window), i))


BELIEF_WORDS = frozenset(
    """believe believes believed believing think thinks thought convinced""".split()
)
TOLD_WORDS = frozenset(["told", "tells", "telling", "tell"])


def _reported(s: Sentence, i: int) -> bool:
    """The phrase is someone's label, not ours: "he calls himself her boyfriend",
    "the man she describes as her partner", "groomed her into believing"."""
    words = s.lower
    if i > 0 and words[i - 1] in {'"', "“", "‘", "'"}:
        return True
    for j in range(max(0, i - REPORTED_BEFORE), i):
        w = words[j]
        if w in LABEL_WORDS:
            return True
        adult_before = any(kind == ADULT for kind in s.kind[:j])
        if w in BELIEF_WORDS and (adult_before or words[j - 1] in {"into", "her", "him", "them"}):
            return True
        if w in TOLD_WORDS and adult_before:
            return True
    # "The man has been telling Bethany, who is 14, that he is her boyfriend."
    for j in range(max(0, i - 2 * REPORTED_BEFORE), i):
        if s.lower[j] in TOLD_WORDS and any(kind == ADULT for kind in s.kind[:j]):
            return True
    return False


ADULTS_WORDS = TOLD_WORDS | frozenset(
    "flattering flattered complimented called calling said saying".split()
)


def adults_words(s: Sentence, start: int, end: int) -> bool:
    """Not the abuser's words reported ("the man told her she looked older")."""
    for j in range(start):
        if s.lower[j] in ADULTS_WORDS and any(kind == ADULT for kind in s.kind[:j]):
            return False
    return True


def _by_after(s: Sentence, start: int, end: int, within: int = 4) -> bool:
    """A past participle with its doer after it: "Contacted online by
    unknown adults", "approached at the station by a man"."""
    if not s.lower[start].endswith("ed"):
        return False
    for j in range(end, min(len(s.tokens), end + within)):
        if s.lower[j] == "by":
            return any(s.kind[k] in (ADULT, OTHER) for k in range(j + 1, min(len(s.tokens), j + 5)))
        if s.lower[j] in CLAUSE_END or not s.tokens[j].is_alpha:
            return False
    return False


def child_doer(s: Sentence, start: int, end: int) -> bool:
    if s.is_noun_here(start) or _by_after(s, start, end):
        return False
    nxt = s.lower[end] if end < len(s.tokens) else ""
    if s.lower[start].endswith("s") and nxt in {"from", "of"}:
        return False  # a plural noun: "showed a friend messages from an adult"
    j, how = s.doer(start)
    if how != "active":
        return False
    if j is None:
        # A note with the subject left out ("went round and had sex with him")
        # is about the child, unless an adult is the one named before.
        # A bare base form ("Contact with persons of concern") is a heading's noun.
        if _indicator(s, start, end):
            return False  # a checklist item about adults in general
        inflected = s.lemma[start] != s.lower[start]
        nxt = s.lower[end] if end < len(s.tokens) else ""
        if start == 0 and s.lower[0].endswith("ing") and nxt in GERUND_SUBJECT_NEXT:
            return False  # a gerund as the subject: "Asking could alert the driver"
        return (
            inflected and s.note_style(start) and not any(kind == ADULT for kind in s.kind[:start])
        )
    return s.kind[j] == CHILD


def child_doer_lenient(s: Sentence, start: int, end: int) -> bool:
    j, how = s.doer(start)
    if how in {"passive", "negated"}:
        return False
    return j is None or s.kind[j] == CHILD


def not_coerced(s: Sentence, start: int, end: int) -> bool:
    """Not "made to carry drugs", "exploited to sell", "coerced into"."""
    _, how = s.doer(start)
    if how in {"coerced", "passive"}:
        return False
    words = s.lower
    return not any(
        words[k] in lexicon()["coerced"] | {"exploited", "used", "uses", "using", "groomed"}
        for k in range(max(0, start - 3), start)
    )


def adult_other(s: Sentence, start: int, end: int, stop: frozenset[str] = frozenset()) -> bool:
    """The other party, the first person named after the verb, is an adult
    (not a professional, a parent or a child of the same age)."""
    self_words = frozenset("""herself himself themselves themself her his their""".split())
    for j in range(start + 1, len(s.tokens)):
        if j >= end and s.lower[j] in stop:
            return False
        if j + 1 < len(s.tokens) and s.lower[j + 1] in {"'s", "’s"} and s.kind[j] != ADULT:
            continue  # a possessor ("her mum's partner"), not the party
        kind = s.kind[j]
        if kind == ADULT:
            return True
        if kind == OTHER:
            return False
        if kind == CHILD and s.lower[j] not in self_words and s.lower[j] not in {"him", "them"}:
            # Another child named as the other party: a peer, unless an age
            # later in the sentence makes them an adult.
            continue
    return False


def adult_recipient(s: Sentence, start: int, end: int) -> bool:
    """Images went to an adult: the adult is named in the same clause."""
    return adult_other(s, start, end, CLAUSE_END | {","})


def _partner_age_is_child(s: Sentence, p: int) -> bool:
    """The partner or the pair is a child: "her boyfriend, 15", "both 16",
    "also 14", "a lad from college who is 16"."""
    window = range(max(0, p - 2), min(len(s.tokens), p + 9))
    if any((s.age_at(j) or 0) >= 18 for j in window):
        return False  # an adult's age is given too: "between M (14) and Mr H (32)"
    for j in window:
        age = s.age_at(j)
        if age is None:
            continue
        before = s.lower[max(0, j - 3) : j]
        if any(w in {"she", "he", "was", "since", "when"} for w in before[-2:]) and not (
            set(before) & {"also", "both", "who", "same"}
        ):
            continue  # the child's own age ("since she was 13")
        return True
    words = s.lower
    return any(
        (words[j] in {"same", "similar"} and words[j + 1] in {"age", "aged"})
        or words[j] in {"peer", "peers"}
        for j in range(len(words) - 1)
    )


def partner_adult(s: Sentence, start: int, end: int) -> bool:
    p = end - 1  # the noun: "her man", "other half"
    j, _how = s.doer(start)
    if j is not None and s.kind[j] == OTHER and _possessor(s, start) is None:
        return False  # "Shannon's mum has a new partner who is 29"
    word = s.lower[p]
    owner = _possessor(s, p)
    if owner in {ADULT, OTHER}:
        return False  # "her mum's partner", "her cousin's friend"
    if _reported(s, p) or _partner_age_is_child(s, p):
        return False
    if _negated(s, p, 3):
        return False  # "the 20yo is not her boyfriend"
    if s.kind[p] == ADULT:
        return True
    if word in FRIEND_WORDS:
        # A friend is an adult one only when the age or "adult" says so.
        if any(s.kind[j] == ADULT for j in range(max(0, p - 4), p)):
            return True
        # "her new friend is an older man"
        return (
            p + 1 < len(s.tokens)
            and s.lower[p + 1] in {"is", "was", "'s"}
            and any(s.kind[j] == ADULT for j in range(p + 2, min(len(s.tokens), p + 6)))
        )
    return any(kind == ADULT for j, kind in enumerate(s.kind) if j != p)


def _possessive(s: Sentence, i: int) -> tuple[bool, str | None]:
    """Whether a possessive or a person-word stands just before token i, and
    whose: ("her", "the man's", "her older boyfriend", "her 24-year-old partner")."""
    words = s.lower
    for j in range(i - 1, max(-1, i - 4), -1):
        if words[j] in {"'s", "’s"} and j > 0:
            return True, s.kind[j - 1]
        if words[j] in {"her", "his", "their"}:
            return True, s.kind[j]
        if (
            words[j] in _AGE_ADJECTIVES
            or s.age_at(j) is not None
            or words[j] in {"-", "year", "old"}
        ):
            continue
        if s.kind[j] is not None:
            return True, s.kind[j]
        if not s.tokens[j].is_alpha or words[j] in _NOT_ADJECTIVE:
            break
    return False, None


def _possessor(s: Sentence, i: int) -> str | None:
    return _possessive(s, i)[1]


def child_possessor_or_none(s: Sentence, start: int, end: int) -> bool:
    return _possessor(s, start) not in {ADULT, OTHER}


def relationship_adult(s: Sentence, start: int, end: int) -> bool:
    if _reported(s, start) or _partner_age_is_child(s, start) or _negated(s, start, 3):
        return False  # "a person of concern, not a relationship"
    if s.lower[start] in NOUN_RELATIONSHIP:
        if _possessor(s, start) in {ADULT, OTHER}:
            return False
        j, _how = s.doer(start)
        if j is not None and s.kind[j] == OTHER and _possessor(s, start) != CHILD:
            return (
                False  # "Kai's aunt is in a relationship", not "mum supports Abbie's relationship"
            )
    else:
        j, how = s.doer(start)
        if how == "negated":
            return False
        if j is not None and s.kind[j] == OTHER:
            return False
        if j is not None and s.kind[j] == ADULT:
            # "Leo and the 21-year-old have been an item": a pair with a child in it.
            k = j - 1
            while k >= 0 and s.lower[k] in {"the", "a", "an", "-", "year", "old"}:
                k -= 1
            if not (k >= 1 and s.lower[k] == "and" and s.kind[k - 1] == CHILD):
                return False
    after = any(kind == ADULT for kind in s.kind[end : end + 10])
    before = any(kind == ADULT for kind in s.kind[:start])
    if after and not before and _indicator(s, start, end):
        return False
    return after or before


def _indicator(s: Sentence, start: int, end: int) -> bool:
    """A checklist item about no one in particular: a fragment with no
    subject, opened by a participle, about adults in general ("Found
    intoxicated in the company of adults")."""
    if not opens_fragment(s.tokens[0]):
        return False
    if any(kind is not None for kind in s.kind[:start]):
        return False
    party = [j for j in range(end, min(len(s.tokens), end + 7)) if s.kind[j] == ADULT]
    return (
        bool(party)
        and s.lower[party[0]] in {"adults", "men", "males", "people"}
        and all(s.lower[k] in INDICATOR_FILLER for k in range(end, party[0]))
    )


def about_child(s: Sentence, start: int, end: int) -> bool:
    return _owner(s, start) not in {ADULT, OTHER}


# The same test under the name the rules read best with.
about_child_or_none = about_child


def not_negated(s: Sentence, start: int, end: int) -> bool:
    return not _negated(s, start)


def _positive_after(s: Sentence, end: int, window: int = 6) -> bool:
    """What the child chose or agreed to, in the same clause, is a good thing
    ("chose to tell her teacher", "agreed to a referral")."""
    for j in range(end, min(len(s.tokens), end + window)):
        if s.lower[j] in CHOSEN_ENDS or s.lemma[j] in LEAVING:
            return False  # "decided to leave the placement": leaving is not the good thing
        if s.lemma[j] in POSITIVE or s.lower[j] in POSITIVE:
            return True
    return False


def _meets_worker(s: Sentence, end: int) -> bool:
    n = len(s.tokens)
    return any(
        s.lemma[j] in {"meet", "see", "talk", "speak"}
        and j + 1 < n
        and s.lower[j + 1] in MEET_AGAIN
        for j in range(end, min(n - 1, end + 2))
    )


def _chooses_a_thing(s: Sentence, start: int, end: int) -> bool:
    """Choosing a thing, with no adult in the sentence: "Aaliyah chose the
    activity", not "chose to go" or "chose the lifestyle"."""
    if s.lemma[start] not in {"choose", "pick", "select"} or end >= len(s.tokens) - 1:
        return False
    if s.lower[end] not in {"the", "a", "an", "which", "what", "where", "her", "his", "their"}:
        return False
    if s.lower[end + 1] in {"lifestyle", "life", "gang", "streets", "men", "man", "adults"}:
        return False
    return not any(kind == ADULT for kind in s.kind)


def _wants_no_harm(s: Sentence, start: int) -> bool:
    """Wanting is blame only about the harm: "wanted to go with the men",
    "wanted to be involved ... for the money", not "wants to go again"."""
    if s.lemma[start] not in {"want", "wish", "prefer"}:
        return False
    return not any(kind == ADULT for kind in s.kind) and not any(w in WANTED_HARM for w in s.lower)


def choice_child(s: Sentence, start: int, end: int) -> bool:
    if (end < len(s.tokens) and s.lower[end] == ":") or (
        s.lower[start] in {"choice", "decision"}
        and (
            start > 0
            and s.lower[start - 1] in {"management", "panel", "strategy", "team", "manager's"}
        )
    ):
        return False  # a heading: "Management decision: ..."
    if _chooses_a_thing(s, start, end) or _wants_no_harm(s, start):
        return False
    if _meets_worker(s, end):
        return False
    if s.lower[start] in {"choice", "choices", "decision", "decisions"}:
        owner = _possessor(s, start)
        if (
            owner is None
            and start > 0
            and s.lower[start - 1] not in {"a", "the", "this", "'s", "’s"}
        ):
            # "Tia said going was her choice" has its owner; "a decision" in a
            # heading or a sentence about the service has none.
            j, how = s.doer(start)
            owner = s.kind[j] if j is not None and how == "active" else None
        if owner != CHILD:
            return False
    else:
        j, how = s.doer(start)
        if how != "active" or j is None or s.kind[j] != CHILD:
            return False
    return not _positive_after(s, end)


def consent_child(s: Sentence, start: int, end: int) -> bool:
    words = s.lower
    word = words[start]
    before = set(words[max(0, start - 4) : start])
    if _negated(s, start, 3) or before & frozenset(
        """cannot can't unable able capacity age without legally law""".split()
    ):
        return False
    if _reported(s, start) and any(k == ADULT for k in s.kind[:start]):
        return False  # the suspect's claim, reported
    if word in {"consensual", "consensually"}:
        return True
    if _meets_worker(s, end):
        return False
    if any(s.lemma[j] in SPEECH for j in range(max(0, start - 3), start)):
        return False  # "talks most freely on car journeys", "shared it willingly"

    subject_before = start > 0 and s.kind[start - 1] == CHILD  # "She consents to ..."
    if (
        word in {"consent", "consents"}
        and not subject_before
        and not before & frozenset("""gave give given gives giving her his their""".split())
    ):
        return False  # the noun, for a referral, information, a medical
    owner = _owner(s, start)
    if owner in {ADULT, OTHER}:
        return False
    if word not in {"consent", "consents", "consented", "consenting"}:
        j, how = s.doer(start)
        if how != "active" or j is None or s.kind[j] != CHILD:
            return False
        return not _positive_after(s, end, 6)
    return not _positive_after(s, end, 4)


def cause_nearby(s: Sentence, start: int, end: int) -> bool:
    if any(kind == ADULT for kind in s.kind[:start]):
        return False  # "the man exploited his confusion about his sexuality"
    if any(kind == ADULT for kind in s.kind[end:]):
        return True  # "exploring his sexuality with older men"
    return any(s.lower[j] in CAUSE for j in range(len(s.tokens)) if j != start)


CLOTHES_CAUSE = CAUSE | frozenset(
    """noticed notice attention approach approached interested interest target targeted
        wonder""".split()
)


def clothes_cause(s: Sentence, start: int, end: int) -> bool:
    if s.lower[start] in OWNED_ONLY and _possessor(s, start) != CHILD:
        return False
    if any(s.lower[j] in GIFTS for j in range(max(0, start - 3), min(len(s.tokens), end + 3))):
        return False  # clothes given as gifts: "money, gifts, clothes or phones"
    if any(kind == ADULT for kind in s.kind[:start]) and not any(
        s.lower[j] in CLOTHES_CAUSE for j in range(start)
    ):
        return False  # "the man bought her a crop top"
    return any(s.lower[j] in CLOTHES_CAUSE for j in range(len(s.tokens)))


def not_meta(s: Sentence, start: int, end: int) -> bool:
    """Not talk about the words themselves ("stop describing it as absconding")."""
    return not any(
        s.lower[j] in META and s.lower[j - 1] != "-" for j in range(max(1, start - 7), start)
    )


CONDITIONS: dict[str, Condition] = {
    fn.__name__: fn
    for fn in (
        child_doer,
        child_doer_lenient,
        adult_other,
        adult_recipient,
        partner_adult,
        relationship_adult,
        about_child,
        child_possessor_or_none,
        adults_words,
        not_coerced,
        clothes_cause,
        not_meta,
        not_negated,
        choice_child,
        consent_child,
        cause_nearby,
    )
}
CONDITIONS["about_child_or_none"] = about_child_or_none
