"""The language check's word lists (lexicon.toml) and lemma overrides, loaded once."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@cache
def lemma_table() -> Any:
    """spaCy's maintained English lemma lookup table (word form to lemma)."""
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


@cache
def english_lemmas() -> frozenset[str]:
    """Every lemma the table knows: the ordinary English words."""
    return frozenset(lemma_table().values())


@cache
def lexicon() -> dict[str, frozenset[str]]:
    data = tomllib.loads((HERE / "lexicon.toml").read_text(encoding="utf-8"))
    return {
        name: frozenset(words)
        for group_name, group in data.items()
        if group_name != "lemmas"
        for name, words in group.items()
    }


@cache
def lemma_overrides() -> dict[str, str]:
    data = tomllib.loads((HERE / "lexicon.toml").read_text(encoding="utf-8"))
    return dict(data.get("lemmas", {}))


PARTNER_WORDS = frozenset(
    """partner boyfriend girlfriend friend friends mate mates husband wife fella""".split()
)


ADULT_FAMILY = frozenset(
    """mum mother dad father aunt uncle nan grandma grandad carer stepdad stepmum parent
    cousin auntie""".split()
)


DECADES = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "20s": 20,
    "30s": 30,
    "40s": 40,
    "50s": 50,
    "60s": 60,
}


# An age that names nothing: "at 11", "24 hours", "3 times", "on 24 March".
NOT_AGE_AFTER = frozenset(
    """hour hours minute minutes time times day days week weeks month months pm am occasions
    occasion miles mile pound pounds january february march april may june july august
    september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    messages images photos pictures calls texts % percent other of men males adults people
    nights""".split()
)


NOT_AGE_BEFORE = frozenset(
    """at on by until since year room flat number no £ $ bus route page section level band tier
    every for within after before past than""".split()
)


CAPITALISED_NOT_NAMES = frozenset(
    """online offline snapchat instagram insta whatsapp facebook tiktok discord telegram
    police cse mace
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december year mum dad school dsl sw yp
    poc gp camhs nhs rhi uk pc dc ds xbox playstation i ok a&e mash strategy minutes
    referral note notes update action actions log night duty supervision return interview
    management manager panel outcome""".split()
)


# Between a subject's start and its head noun: "the older man", "a 24-year-old".
NOUN_PHRASE = frozenset(
    """the a an this these those her his their my our your its older adult young grown
        elderly local known another two three four several some male female white black
        asian - year years old aged , ( ) same other new ex mid late early foster key social
        youth support family police case residential care unit duty link class head health
        outreach night""".split()
)


BEFORE_SUBJECT = frozenset(
    """and but or so then when while because that who whom which if as after before since
        until once although though whereas where said says say stated states reported
        reports reports believes believed thinks thought told tells disclosed disclosed
        confirmed alleges alleged claims claimed explained shared mentioned felt feels knows
        knew heard hears noted notes recorded records suggests suggested also apparently
        reportedly per according appears appeared seems seemed likely clear evident
        did does do has have had is was were are will would can
        could should""".split()
)


AFTER_OBJECT = frozenset(
    """and at to in on for with again that when while after before because if up back""".split()
)


PLACES = frozenset("""school college service services team panel unit placement""".split())


AUX_AFTER_SUBJECT = frozenset(
    """'s has is was had have are were will would can could did does do keeps continues ’s
        'd 're 've""".split()
)


NOUN_BEFORE = frozenset(
    """the a an her his their my our your its this that these those sexual explicit
        indecent several many numerous lots some any few no more multiple frequent regular
        constant late-night nightly daily two three four 's ’s of""".split()
)


COMMON_FIRST_WORDS = frozenset(
    """the a an this that these those it there here when after before during following per
        as at in on of for from to by with without since until while if although though
        because so but and or yet also then today yesterday tonight last next her his their
        my our your its staff police school mum dad mother father carer worker social she he
        they we i you minutes referral note notes update strategy meeting professionals
        concerns concern information intelligence reports report risk plan actions action
        agreed agreement discussion discussed officers officer partner agencies agency
        health education sw yp dsl gp please no yes all some many most none both each every
        one two three youth night safeguarding return visit home call spoke telephone phoned
        email text given despite whilst where what who why how which whether overall summary
        outcome current previous further additional young child children girls boys adults
        professional practitioners manager supervision reflection evidence chronology
        analysis assessment rationale decision management manager panel""".split()
)


IRREGULAR_PARTICIPLES = frozenset(
    """found seen left kept met sent taken given caught brought held known told""".split()
)

# After an imperative at the start of a sentence: "Select a ...", "Agree the ...".
IMPERATIVE_NEXT = frozenset(
    """a an the this that these those your her his their them it how what why whether
    who any all each every one if when""".split()
)


# What a child may choose, agree to or be willing to do without any blame:
# "she chose to tell her teacher", "agreed to a referral".
POSITIVE = frozenset(
    """venue topic
    tell told disclose disclosed speak spoke talk talked report reported study stop end
        block blocked delete deleted press home school college course apprenticeship
        appointment appointments referral plan support help counselling therapy police
        officer worker sw teacher nurse mum dad nan carer carers family sister brother apply
        applied enrol enroll focus volunteer volunteering training job interview statement
        evidence examination medical test testing treatment contraception vaccine
        information meeting session sessions club clubs football boxing gym music art drama
        dance youth education gcse gcses options subjects placement placements share sharing
        safety aunt auntie grandparents childline helpline nspcc grandmother foster""".split()
)


CAUSE = frozenset(
    """because why so therefore led leads leading makes made make result resulted due cause
        caused causes causing explains explain reason attracts attract draws puts vulnerable
        drawn leaves""".split()
)


LABEL_WORDS = frozenset(
    """calls called call describes describe refers referred presents presented poses posed
        pretends pretended claims claimed claiming so-called introduced introduces portrayed
        portrays label labels labelled considers considered sees""".split()
)


WANTED_HARM = frozenset("money lifestyle involved gang streets party parties drugs cash".split())


# Where the thing chosen ends: "chose to stay with him rather than come back
# to placement" chose to stay, not the placement.
CHOSEN_ENDS = frozenset("rather instead than so because and but , ; . while whereas".split())


SPEECH = frozenset(
    """talk speak share discuss express write draw chat answer open engage""".split()
)


# "agreed to meet again next week": a meeting with the worker, not the adult.
MEET_AGAIN = frozenset("""again us me weekly regularly fortnightly monthly next""".split())


GIFTS = frozenset(
    """gift gifts money cash phone phones bought buy buying given gave give trainers""".split()
)


# Words that are about the body only when they are the child's: "her figure",
# not "a figure" in a table.
OWNED_ONLY = frozenset("figure figures body looks developed photos pictures selfies".split())


META = frozenset("""term terms word words language phrase wording stop avoid avoiding""".split())


# Before a good thing, these make the choice the harm: "leave the placement".
LEAVING = frozenset("leave quit skip miss abandon avoid refuse".split())


# Between a checklist item's verb and its adults: "Staying at the addresses of
# unknown adults", "Found in the company of older men".
INDICATOR_FILLER = frozenset(
    """unknown other older several various the a an of addresses address homes home
    flats houses cars""".split()
)


GERUND_SUBJECT_NEXT = frozenset("could would might may will can should is was has had must".split())


CLAUSE_END = frozenset(frozenset("""and but which because so ; while whereas""".split()))


FRIEND_WORDS = frozenset(
    """friend friends mate mates pal pals bestie acquaintance acquaintances""".split()
)


NOUN_RELATIONSHIP = frozenset(
    """relationship relationships romance affair fling company association associations
        friendship friendships item couple""".split()
)


# Titles: the person they name is an adult ("Mr H", "Mrs Okafor").
TITLES = frozenset("mr mrs ms mx dr".split())

# Around an age (roles.py): words before a bare number that make it an age,
# words that are not the noun an age belongs to, and what may stand between.
AGE_AFTER_WORD = frozenset(
    """aged age ( , is was of now being turned approximately approx circa c. about around be
    both also just only all""".split()
)


NOT_OLDER_NOUN = frozenset(
    """sister brother sibling siblings cousin children child pupils students girls boys peers
    classmates than and , .""".split()
)


NOT_AGE_OWNER = frozenset(
    """and or but who at in on was is has had have were are will with from to when been rather
    than because after before so since until""".split()
)


BEFORE_AN_AGE = frozenset(
    """( , aged age is was of in his her their mid - late early now approximately approx about
    around be being thought believed to who 's are were also both all just only turned with
    dob born d.o.b roughly nearly almost over under apparently probably maybe""".split()
)
