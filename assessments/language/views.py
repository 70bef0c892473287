"""The language check, live in every free-text field, and its rules for review."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.language import rules as language
from assessments.language import selectors, services
from assessments.language.models import REASON_MAX
from cse_cases import access, audit
from cse_cases.models import AuditAction
from cse_cases.services import RecordError

# Enough for the longest free-text field; longer text is checked up to here.
CHECK_LIMIT = 50_000
# A form field's name as GovukForm writes it ("text", "section-3-concerns").
FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
# A form's class name, sent by the textarea to say where a phrase was kept.
FORM_KIND = re.compile(r"^[A-Za-z0-9_.]{0,100}$")
KEPT_MAX = 50
# A text with more findings than this shows the first ones and says how many
# more: enough to work through, and an answer that stays small as people type.
FINDINGS_SHOWN = 20
FINDINGS = "assessments/language/_language_findings.html"
# Tells static/language/check.js that a 400 carries the findings with an
# error to show (htmx swaps no 4xx on its own).
FORM_ERROR_HEADER = "Harbour-Language-Form-Error"


def _bad(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _field(request: HttpRequest) -> str | None:
    name = request.POST.get("field", "")
    return name if FIELD_NAME.match(name) and name != "field" else None


def _kept(request: HttpRequest, name: str) -> list[str]:
    """The phrases kept in this editing session, as "rule:phrase" keys: the
    hidden inputs under the findings, and those a re-shown form carried over."""
    values = request.POST.getlist(f"{name}-language-kept")
    values += request.POST.getlist(f"{name}-language-kept-before")
    keys: list[str] = []
    for value in values[:KEPT_MAX]:
        rule, _, phrase = value.partition(":")
        key = selectors.kept_key(rule, phrase[:300])
        if rule and phrase.strip() and key not in keys:
            keys.append(key)
    return keys


def _text(request: HttpRequest, name: str) -> str:
    # Offsets are the textarea's own: the browser's value has bare newlines.
    return request.POST.get(name, "")[:CHECK_LIMIT].replace("\r\n", "\n")


def _findings(
    request: HttpRequest,
    *,
    name: str,
    kept: list[str],
    status: int = 200,
    error: str = "",
    error_key: str = "",
    reason: str = "",
    said: str = "",
) -> HttpResponse:
    form_kind = request.POST.get("language_form", "")
    form_kind = form_kind if FORM_KIND.match(form_kind) else ""
    findings = selectors.findings_for(_text(request, name), kept)
    rows = [
        {
            "shown": shown,
            "vals": json.dumps(
                {
                    "field": name,
                    "rule": shown.finding.rule,
                    "phrase": shown.finding.phrase,
                    "language_form": form_kind,
                    "reason_input": f"{name}-language-reason-{n}",
                }
            ),
            "reason_input": f"{name}-language-reason-{n}",
            "error": error if shown.key == error_key else "",
            "reason": reason if shown.key == error_key else "",
        }
        for n, shown in enumerate(findings[:FINDINGS_SHOWN], start=1)
    ]
    response = render(
        request,
        FINDINGS,
        {
            "rows": rows,
            "more": max(0, len(findings) - FINDINGS_SHOWN),
            # An error about words no longer among the findings stands alone.
            "error": error if error and not any(row["error"] for row in rows) else "",
            "field": name,
            "kept": kept,
            "said": said,
            "reason_max": REASON_MAX,
        },
        status=status,
    )
    if error:
        response[FORM_ERROR_HEADER] = "1"
    return response


@require_POST
def language_check(request: HttpRequest) -> HttpResponse:
    """htmx: the findings for one field's text, shown under it as advice.

    Nothing is stored and nothing blocks saving. The field is named by
    `field` and its text sent under that name (the textarea itself); the
    phrases the writer kept come back as `<field>-language-kept`.
    """
    access.require_records(request.user)
    name = _field(request)
    if name is None:
        return _bad("Say which field to check: the request named none, or a name that is no field")
    return _findings(request, name=name, kept=_kept(request, name))


@require_POST
def language_keep(request: HttpRequest) -> HttpResponse:
    """htmx: the writer keeps a flagged phrase with a reason; the finding
    goes for the rest of this editing session and the keep is recorded."""
    access.require_records(request.user)
    name = _field(request)
    if name is None:
        return _bad("Say which field the words are in: the request named none, or no field")
    rule = request.POST.get("rule", "")
    phrase = request.POST.get("phrase", "")
    if not any(known.id == rule for known in language.RULES):
        return _bad("The language check has no such rule: check the text again")
    if not phrase.strip() or len(phrase) > 1000:
        return _bad("Say which words to keep: the phrase was missing or too long")
    reason_input = request.POST.get("reason_input", "")
    if not reason_input.startswith(f"{name}-language-reason-"):
        return _bad("The reason was not sent: check the text again")
    reason = request.POST.get(reason_input, "")
    kept = _kept(request, name)
    key = selectors.kept_key(rule, phrase)
    form_kind = request.POST.get("language_form", "")
    try:
        services.language_keep(
            by=request.user,
            rule=rule,
            phrase=phrase,
            reason=reason,
            form=form_kind if FORM_KIND.match(form_kind) else "",
            field=name,
            text=_text(request, name),
        )
    except RecordError as error:
        return _findings(
            request,
            name=name,
            kept=kept,
            status=400,
            error=str(error),
            error_key=key,
            reason=reason[: REASON_MAX + 50],
        )
    return _findings(
        request,
        name=name,
        kept=[*kept, key] if key not in kept else kept,
        said=f"Kept your words “{' '.join(phrase.split())[:100]}”: the check will not raise "
        "them again while you edit this text.",
    )


def language_rules(request: HttpRequest) -> HttpResponse:
    """The phrases the check flags and the wording it suggests, for review."""
    access.require_records(request.user)
    return render(
        request,
        "assessments/language/language_rules.html",
        {
            "categories": selectors.rules_by_category(),
            "count": len(language.RULES),
            "version": language.VERSION,
        },
    )


REPORT_DAYS = 30
REPORT_NOTES = 500


def language_report(request: HttpRequest) -> HttpResponse:
    """For supervisors and CSE leads: recent case notes they may read whose
    wording the check would change, and the wording their teams kept and
    why, to raise in supervision, not to blame."""
    if not access.may_read_language_report(request.user):
        raise Http404
    since = timezone.now() - timedelta(days=REPORT_DAYS)
    notes = (
        access.notes_visible_to(request.user)
        .filter(recorded_at__gte=since)
        .select_related("author", "author_agency", "young_person")
        .order_by("-recorded_at")[:REPORT_NOTES]
    )
    rows = []
    for note in notes:
        # The young person's own words are theirs, recorded as said: not checked.
        findings = language.check(note.text)
        if findings:
            rows.append((note, findings))
    keep_counts = selectors.keep_counts(request.user)
    keeps = selectors.recent_keeps(request.user)
    audit.record_many(
        user=request.user,
        action=AuditAction.SEARCH,
        object_type="casenote",
        young_person_ids=[note.young_person_id for note, _ in rows],
        detail="language report",
    )
    if keeps:
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="languagekeep",
            detail=f"language report: {len(keeps)} kept wordings and their reasons",
        )
    return render(
        request,
        "assessments/language/language_report.html",
        {
            "rows": rows,
            "days": REPORT_DAYS,
            "checked": len(notes),
            "keep_counts": keep_counts,
            "keeps": keeps,
        },
    )
