"""Reads for the language check: findings shaped for the page, and the
report's counts of kept wording (scoped by the access policy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone

from assessments.language import rules as language
from assessments.language.models import KeepHow, LanguageKeep
from cse_cases import access
from cse_cases.models import User

# How much of the text either side of a phrase a finding shows.
CONTEXT = 40


def js_offset(text: str, index: int) -> int:
    """A Python (code point) offset as a browser counts it (UTF-16 units), so
    "Use this wording" replaces the same characters after an emoji."""
    return len(text[:index].encode("utf-16-le")) // 2


@dataclass(frozen=True)
class ShownFinding:
    finding: language.Finding
    before: str
    after: str
    # Offsets as the browser's textarea counts them.
    js_start: int
    js_end: int

    @property
    def key(self) -> str:
        return kept_key(self.finding.rule, self.finding.phrase)


def kept_key(rule: str, phrase: str) -> str:
    """How a kept phrase travels back with each check: "rule:phrase"."""
    return f"{rule}:{' '.join(phrase.split()).casefold()}"


def _excerpt(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    # Start and end on a word, and say where the excerpt is cut.
    if start > CONTEXT and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if len(text) - end > CONTEXT and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return " ".join(before.splitlines()), " ".join(after.splitlines())


def findings_for(text: str, kept: Iterable[str] = ()) -> list[ShownFinding]:
    """The check's findings for one field's text, each with its excerpt,
    leaving out the phrases the writer has kept in this editing session."""
    kept_keys = {" ".join(k.split()).casefold() for k in kept}
    shown = []
    for finding in language.check(text):
        if kept_key(finding.rule, finding.phrase) in kept_keys:
            continue
        before, after = _excerpt(text, finding.start, finding.end)
        shown.append(
            ShownFinding(
                finding=finding,
                before=before,
                after=after,
                js_start=js_offset(text, finding.start),
                js_end=js_offset(text, finding.end),
            )
        )
    return shown


@dataclass(frozen=True)
class KeepCount:
    rule: str
    category: str
    count: int
    label: str
    category_label: str
    # Of `count`: kept with a reason, and saved unchanged without one.
    kept: int = 0
    saved: int = 0


def keep_counts(user: User | AnonymousUser) -> list[KeepCount]:
    """Flagged wording kept with a reason or saved unchanged, by rule and
    category, for the reader's teams only."""
    labels = {rule.id: rule.label for rule in language.RULES}
    rows = (
        access.language_keeps_visible_to(user)
        .values("rule", "category")
        .annotate(
            count=Count("pk"),
            kept=Count("pk", filter=Q(how=KeepHow.REASON)),
            saved=Count("pk", filter=Q(how=KeepHow.SAVED)),
        )
        .order_by("-count", "rule")
    )
    categories = language.CATEGORIES
    return [
        KeepCount(
            rule=r["rule"],
            category=r["category"],
            count=r["count"],
            label=labels.get(r["rule"], r["rule"]),
            category_label=categories.get(r["category"], {}).get("label", r["category"]),
            kept=r["kept"],
            saved=r["saved"],
        )
        for r in rows
    ]


REPORT_KEEPS = 200


def recent_keeps(user: User | AnonymousUser) -> list[LanguageKeep]:
    """The most recent keeps with their reasons, for the reader's teams only."""
    return list(
        access.language_reasons_visible_to(user)
        .filter(how=KeepHow.REASON)
        .select_related("user", "agency")[:REPORT_KEEPS]
    )


@dataclass(frozen=True)
class RuleCategory:
    key: str
    label: str
    why: str
    rules: tuple[language.Rule, ...]


def rules_by_category() -> list[RuleCategory]:
    """The rules for review, in the guidance's categories, in rules.toml's order."""
    return [
        RuleCategory(
            key=key,
            label=meta.get("label", key),
            why=meta.get("why", ""),
            rules=tuple(rule for rule in language.RULES if rule.category == key),
        )
        for key, meta in language.CATEGORIES.items()
    ]


KEPT_RECENTLY = timedelta(days=1)


def recently_kept(user: User) -> set[str]:
    """The "rule:phrase" keys this writer kept with a reason in the last day."""
    rows = LanguageKeep.objects.filter(
        user=user, how=KeepHow.REASON, kept_at__gte=timezone.now() - KEPT_RECENTLY
    ).values_list("rule", "phrase")
    return {kept_key(rule, phrase) for rule, phrase in rows}
