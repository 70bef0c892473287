"""Writes for the language check: a writer keeping their own words, with a
reason or by saving them unchanged."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.language import rules as language
from assessments.language.models import PHRASE_MAX, REASON_MAX, KeepHow, LanguageKeep
from cse_cases import audit
from cse_cases.models import AuditAction, User
from cse_cases.services import RecordError

REASON_EMPTY = "Enter why you are keeping these words"
REASON_LONG = f"Your reason must be {REASON_MAX:,} characters or fewer"


def _row(
    by: User,
    how: str,
    rule: str,
    category: str,
    phrase: str,
    form: str,
    field: str,
    reason: str = "",
) -> LanguageKeep:
    """One keep, unsaved: who, where they were and who supervised them then
    (a later supervisor reads nothing of it), the rule and the phrase only."""
    return LanguageKeep(
        user=by,
        agency_id=by.agency_id,
        team_id=by.team_id,
        supervisor_id=by.team.supervisor_id if by.team is not None else None,
        how=how,
        rule=rule,
        rules_version=language.VERSION,
        category=category,
        phrase=" ".join(phrase.split())[:PHRASE_MAX],
        reason=reason,
        form=form[:100],
        field=field[:100],
    )


# A second "Keep my words" for the same phrase this soon is the same keep.
REPEAT_WITHIN = timedelta(minutes=10)


def language_keep(
    *, by: User, rule: str, phrase: str, reason: str, form: str, field: str, text: str
) -> LanguageKeep:
    """Record that `by` kept a phrase the check flagged under `rule`, and why.

    Stores the phrase (cut to PHRASE_MAX) and the reason, never the text
    around it. The rule's category and the rule-set version are taken from
    the rules themselves, not from the request.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise RecordError(REASON_EMPTY, field="reason")
    if len(reason) > REASON_MAX:
        raise RecordError(REASON_LONG, field="reason")
    known = next((r for r in language.RULES if r.id == rule), None)
    if known is None:
        raise RecordError("The language check has no such rule: check again", field="rule")
    # Only words the check flags in this text can be kept: the record holds
    # a flagged phrase, never free text of the writer's choosing.
    flagged = any(
        finding.rule == known.id and " ".join(finding.phrase.split()) == " ".join(phrase.split())
        for finding in language.check(text)
    )
    if not flagged:
        raise RecordError(
            "Those words are not flagged in the text now: check the text again", field="phrase"
        )
    phrase = " ".join(phrase.split())[:PHRASE_MAX]
    repeat = LanguageKeep.objects.filter(
        user=by,
        how=KeepHow.REASON,
        rule=known.id,
        phrase=phrase,
        reason=reason,
        form=form[:100],
        field=field[:100],
        kept_at__gte=timezone.now() - REPEAT_WITHIN,
    ).first()
    if repeat is not None:
        return repeat
    with transaction.atomic():
        keep = _row(by, KeepHow.REASON, known.id, known.category, phrase, form, field, reason)
        keep.save()
        audit.record(
            user=by,
            action=AuditAction.CREATE,
            obj=keep,
            detail=f"kept wording flagged by the language check ({known.id})",
        )
    return keep


# At most this many findings are recorded for one save: enough for any note.
SAVED_MAX = 100
SAVED_COUNTED_PER = timedelta(days=1)


def language_saved(
    *, by: User, fields: list[tuple[str, list[language.Finding]]], form: str
) -> list[LanguageKeep]:
    """Record the findings `by` saved unchanged, one row each, with no reason
    (field name and findings, from the text as saved). Like a keep, only the
    phrase is stored, never the text around it."""
    rows = [
        _row(by, KeepHow.SAVED, finding.rule, finding.category, finding.phrase, form, field)
        for field, findings in fields
        for finding in findings
    ][:SAVED_MAX]
    # The same text saved again (an edit of something else, a retried send)
    # is the same words saved unchanged: counted once a day, not per save.
    already = set(
        LanguageKeep.objects.filter(
            user=by,
            how=KeepHow.SAVED,
            form=form[:100],
            kept_at__gte=timezone.now() - SAVED_COUNTED_PER,
        ).values_list("field", "rule", "phrase")
    )
    rows = [row for row in rows if (row.field, row.rule, row.phrase) not in already]
    if not rows:
        return []
    with transaction.atomic():
        saved = LanguageKeep.objects.bulk_create(rows)
        audit.record(
            user=by,
            action=AuditAction.CREATE,
            object_type="languagekeep",
            detail=f"saved {len(saved)} phrases the language check flagged, unchanged",
        )
    return saved
