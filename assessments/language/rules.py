"""The language check: victim-blaming and minimising phrases about children.

Written for Harbour from the published appropriate-language guidance for
child exploitation (the Children's Society and partners' "Appropriate
language: child sexual and/or criminal exploitation" guidance): a child is
never described as choosing, consenting to or causing their own abuse.

`check(text)` returns one `Finding` per problem phrase, with its offsets in
the text, the phrase found and the suggested wording. Each rule is a regular
expression written to cope with inflections and word order ("puts herself at
risk", "put themselves in danger") and with guards against obvious false
alarms ("consent to share information", "a healthy lifestyle", "her
boyfriend, who is 15"). The rules are data with a version: a CSE lead reviews
them at /language/ and proposes changes through the usual review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "2026.11.2"

# Reflexive pronouns and people a sentence may be about.
_SELF = r"(?:her|him|them|your|my|our)sel(?:f|ves)|themself"
_ADULT_CONTEXT = re.compile(
    r"\b(?:adult|older|grown|man|men|male|(?:1[89]|[2-9]\d)\s*(?:-|\s)?\s*(?:years?|yrs?)"
    r"(?:\s*(?:-|\s)\s*old)?|aged\s+(?:1[89]|[2-9]\d)|in\s+(?:his|her|their)\s+(?:20|30|40|50)s"
    r"|twenties|thirties|forties|(?:is|was|aged?)\s+(?:1[89]|[2-9]\d))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: str
    suggestion: str
    why: str
    # When set, the rule fires only if the sentence also matches this.
    needs: re.Pattern | None = None
    # When the sentence matches this, the rule stays quiet (a false alarm).
    unless: str = ""

    @property
    def label(self) -> str:
        """The kind of phrase, as the rules page lists it."""
        return LABELS.get(self.id, self.id.replace("_", " "))

    def compiled(self) -> re.Pattern:
        return re.compile(self.pattern, re.IGNORECASE)


LABELS = {
    "putting_self_at_risk": "“putting herself at risk”, “put themselves in danger”",
    "self_at_risk": "“herself at risk”",
    "sexually_active": "“sexually active” (of a child)",
    "child_prostitute": "“child prostitute”, “selling sex”, “selling herself”",
    "risky_behaviour": "“risky behaviour”, “risk-taking”",
    "lifestyle_choice": "“lifestyle choice”, “chosen this lifestyle”, “poor choices”",
    "consented": "“consented”, “consensual”, “agreed to sex” (not consent to share)",
    "boyfriend_adult": "“her boyfriend” or “girlfriend” when they are an adult",
    "relationship_with_adult": "“in a relationship with an older man”",
    "promiscuous": "“promiscuous”, “sexualised behaviour”",
    "engaging_in_sex": "“engaging in sexual activity”, “exchanging sex for”",
    "streetwise": "“streetwise”, “street smart”",
    "went_willingly": "“went willingly”, “of her own free will”",
    "absconded": "“absconded”",
    "sugar_daddy": "“sugar daddy”",
    "attention_seeking": "“attention seeking”, “manipulative”",
    "not_engaging": "“refuses to engage”, “non-compliant”, “difficult to engage”",
}

RULES: tuple[Rule, ...] = (
    Rule(
        "putting_self_at_risk",
        rf"\b(?:put|puts|putting|place[sd]?|placing)\s+(?:{_SELF})\s+"
        r"(?:at\s+(?:(?:high|great|significant|serious)\s+)?risk|in(?:to)?\s+(?:danger|harm'?s\s+way|"
        r"(?:risky|dangerous|unsafe)\s+situations?)|at\s+harm)",
        "is at risk of being exploited / the adults around them are putting them at risk",
        "A child does not put themselves at risk: adults who exploit them do.",
    ),
    Rule(
        "self_at_risk",
        rf"\b(?:{_SELF})\s+at\s+risk\b",
        "is at risk of being exploited",
        "Says the child is responsible for the risk they face.",
        unless=r"\b(?:put|puts|putting|place[sd]?|placing)\s+(?:" + _SELF + r")",
    ),
    Rule(
        "sexually_active",
        r"\bsexually\s+active\b",
        "is being sexually abused / sexually exploited",
        "A child being abused is not 'sexually active'; the phrase implies consent.",
        unless=r"\bnot\s+(?:been\s+|be\s+)?sexually\s+active\b",
    ),
    Rule(
        "child_prostitute",
        r"\b(?:child|teen(?:age)?|underage|young)\s+prostitut(?:e|es|ion)\b|"
        r"\bprostitut(?:ing|es|ed)\s+(?:" + _SELF + r")|\bsell(?:s|ing)?\s+(?:sex|" + _SELF + r")\b"
        r"|\bsold\s+(?:sex|" + _SELF + r")\b"
        r"|\b(?:involved|engaged|engaging|working)\s+in\s+prostitution\b",
        "is being sexually exploited (child sexual exploitation)",
        "Children cannot be prostitutes or sell sex: they are sexually exploited.",
    ),
    Rule(
        "risky_behaviour",
        r"\b(?:risky|risk-taking|high-risk)\s+behaviou?rs?\b|\brisk-taking\b",
        "is being exploited / shows signs of exploitation (name what happened)",
        "Places the responsibility on the child rather than on those exploiting them.",
        unless=r"\b(?:risky|high-risk)\s+behaviou?rs?\s+(?:by|of|from)\s+(?:the\s+)?"
        r"(?:adults?|men|males?|perpetrators?|suspects?)\b",
    ),
    Rule(
        "lifestyle_choice",
        r"\blifestyle\s+choices?\b|\b(?:chosen|chose|chooses|choosing|choose)\s+"
        r"(?:this|that|a|the|her|his|their)?\s*(?:risky\s+|chaotic\s+)?lifestyle\b|"
        r"\b(?:her|his|their)\s+(?:risky|chaotic|chosen|street|party)\s+lifestyle\b|"
        r"\b(?:her|his|their)\s+lifestyle\s+(?:puts|put|places|is\s+putting)\b|"
        r"\bmaking\s+(?:poor|bad|unwise|risky)\s+(?:life\s+)?choices\b|"
        r"\b(?:poor|bad|unwise|risky)\s+(?:life\s+)?choices\b",
        "is being exploited / is being groomed",
        "Exploitation is not a choice the child makes.",
    ),
    Rule(
        "consented",
        r"\b(?:consented|consensual|consents|consenting|gave\s+(?:(?:her|his|their)\s+)?consent|"
        r"agreed\s+to\s+(?:have\s+)?(?:sex|sexual))\b",
        "a child cannot consent to their own abuse: describe what the adult did",
        "Implies the child agreed to the abuse.",
        unless=r"\bconsent(?:ed|s|ing)?\s+(?:to|for)\s+(?:share|sharing|the\s+(?:referral|"
        r"assessment|information|interview|plan|medical|examination)|information|a\s+referral|"
        r"treatment|a\s+medical|medical|being\s+referred|this\s+referral)"
        r"|\b(?:parents?|carers?|mum|mother|dad|father|guardian)\s+(?:has\s+|have\s+)?"
        r"(?:consented|gave\s+consent)",
    ),
    Rule(
        "boyfriend_adult",
        r"\b(?:older|adult)\s+(?:boy|girl)friends?\b|\b(?:her|his|their|a)\s+(?:boy|girl)friends?\b",
        "the adult / the man who is abusing her (name them as a person of concern)",
        "An adult abusing a child is not their 'boyfriend' or 'girlfriend'.",
        needs=_ADULT_CONTEXT,
    ),
    Rule(
        "relationship_with_adult",
        r"\b(?:in\s+a\s+relationship\s+with|dating|seeing)\s+(?:an?\s+)?(?:(?:older|adult)\s+"
        r"(?:man|men|male|woman|female|person)\b|(?:1[89]|[2-9]\d)\s*-?\s*years?\s*-?\s*old)",
        "is being groomed / abused by an adult",
        "Describes abuse as a relationship.",
    ),
    Rule(
        "promiscuous",
        r"\bpromiscu(?:ous|ity)\b|\bsexuali[sz]ed\s+behaviou?r\b",
        "is being sexually exploited / shows signs of sexual abuse",
        "Blames the child for behaviour that is a sign of abuse.",
    ),
    Rule(
        "engaging_in_sex",
        r"\b(?:engag(?:ed|es|ing|e)|involved)\s+in\s+(?:sexual\s+activity|sex\s+work|"
        r"sexual\s+acts?)\b|\bexchang(?:ed|es|ing|e)\s+sex\s+for\b|\bsex\s+for\s+(?:drugs|money|"
        r"alcohol|cigarettes|gifts|a\s+place)\b|\btrading\s+sex\b",
        "is being sexually exploited / abused",
        "Describes abuse as something the child took part in.",
    ),
    Rule(
        "streetwise",
        r"\bstreet[-\s]?wise\b|\bstreet\s+smart\b",
        "is vulnerable / has learned ways to cope",
        "Suggests the child is not vulnerable.",
    ),
    Rule(
        "went_willingly",
        r"\b(?:went|goes|going|go)\s+(?:with\s+\w+\s+)?willingly\b|\bwillingly\s+(?:went|goes|got|"
        r"gets|getting|met|meets)\b|\bof\s+(?:her|his|their)\s+own\s+(?:free\s+)?will\b"
        r"|\bwilling\s+participant\b",
        "was groomed / coerced to go with",
        "Hides the grooming and coercion that make a child go.",
    ),
    Rule(
        "absconded",
        r"\babscond(?:ed|s|ing)?\b",
        "went missing",
        "A term from custody that treats the child as at fault.",
    ),
    Rule(
        "sugar_daddy",
        r"\bsugar\s+daddy\b|\bsugar\s+daddies\b",
        "an adult who is exploiting her",
        "Presents abuse as a transaction the child chose.",
    ),
    Rule(
        "attention_seeking",
        r"\battention[-\s]seeking\b|\bmanipulative\b",
        "seeking help / showing distress",
        "Dismisses the child's distress or communication.",
    ),
    Rule(
        "not_engaging",
        r"\b(?:refus(?:es|ed|ing)\s+to\s+engage|non[-\s]?compliant|not\s+(?:willing\s+to\s+)?"
        r"engag(?:e|ing)\s+with\s+(?:services|professionals|us|support))\b"
        r"|\b(?:is|was|been|are|were|be)\s+difficult\s+to\s+engage\b",
        "we have not yet found a way to engage her / services have not yet built her trust",
        "Places the task of engaging on the child rather than on services.",
    ),
)

_COMPILED = [
    (rule, rule.compiled(), re.compile(rule.unless, re.I) if rule.unless else None)
    for rule in RULES
]
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    phrase: str
    suggestion: str
    rule: str
    why: str


def check(text: str) -> list[Finding]:
    """Every problem phrase in `text`, in order, with where it is and a better wording."""
    findings: list[Finding] = []
    if not text:
        return findings
    for sentence in _SENTENCE.finditer(text):
        part = sentence.group()
        offset = sentence.start()
        for rule, pattern, unless in _COMPILED:
            if rule.needs is not None and not rule.needs.search(part):
                continue
            if unless is not None and unless.search(part):
                continue
            for match in pattern.finditer(part):
                findings.append(
                    Finding(
                        start=offset + match.start(),
                        end=offset + match.end(),
                        phrase=match.group(),
                        suggestion=rule.suggestion,
                        rule=rule.id,
                        why=rule.why,
                    )
                )
    # One finding per stretch of text: the first rule to claim it.
    findings.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in findings:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
