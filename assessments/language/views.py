"""The language check, live in every free-text field, and its rules for review."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.language import rules as language
from cse_cases import access, audit
from cse_cases.models import AuditAction

# Enough for the longest free-text field; longer text is checked up to here.
CHECK_LIMIT = 50_000


@require_POST
def language_check(request: HttpRequest) -> HttpResponse:
    """htmx: the findings for one field's text, shown under it as advice.

    Nothing is stored and nothing blocks saving. The field is named by
    `field` and its text sent under that name (the textarea itself).
    """
    access.require_records(request.user)
    name = request.POST.get("field", "")
    text = request.POST.get(name, "")[:CHECK_LIMIT] if name and name != "field" else ""
    return render(
        request, "assessments/language/_language_findings.html", {"findings": language.check(text)}
    )


def language_rules(request: HttpRequest) -> HttpResponse:
    """The phrases the check flags and the wording it suggests, for review."""
    access.require_records(request.user)
    return render(
        request,
        "assessments/language/language_rules.html",
        {"rules": language.RULES, "version": language.VERSION},
    )


REPORT_DAYS = 30
REPORT_NOTES = 500


def language_report(request: HttpRequest) -> HttpResponse:
    """For supervisors and CSE leads: recent case notes they may read whose
    wording the check would change, to raise in supervision, not to blame."""
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
        findings = language.check(note.text) + language.check(note.young_persons_words)
        if findings:
            rows.append((note, findings))
    audit.record_many(
        user=request.user,
        action=AuditAction.SEARCH,
        object_type="casenote",
        young_person_ids=[note.young_person_id for note, _ in rows],
        detail="language report",
    )
    return render(
        request,
        "assessments/language/language_report.html",
        {"rows": rows, "days": REPORT_DAYS, "checked": len(notes)},
    )
