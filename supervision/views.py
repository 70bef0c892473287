"""The "my work" page and the team view of open flags."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.meetings import selectors as meeting_selectors
from cse_cases import access, audit, drift
from cse_cases import selectors as core_selectors
from cse_cases.models import AuditAction
from supervision import selectors

MY_WORK_LIMIT = 200


def _subject_url(flag) -> str:
    rule = drift.rule_for(flag.kind)
    if rule and rule.url_name:
        try:
            return reverse(rule.url_name, args=[flag.subject_id])
        except NoReverseMatch:
            return ""
    if flag.young_person_id:
        return reverse("young-person", args=[flag.young_person_id])
    return ""


def my_work(request: HttpRequest) -> HttpResponse:
    """My flags and due items, most urgent first."""
    access.require_records(request.user)
    flags = list(selectors.my_flags(request.user)[:MY_WORK_LIMIT])
    for flag in flags:
        rule = drift.rule_for(flag.kind)
        flag.label = rule.label if rule else flag.kind
        flag.url = _subject_url(flag)
    actions = list(meeting_selectors.my_actions(request.user).filter(status="open")[:MY_WORK_LIMIT])
    emergency = core_selectors.break_glass_on_cases_led_by(request.user)
    now = timezone.now()
    audit.record_many(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="flag",
        young_person_ids=[f.young_person_id for f in flags if f.young_person_id]
        + [a.young_person_id for a in actions]
        + [grant.case.young_person_id for grant in emergency],
        detail="my work",
    )
    return render(
        request,
        "supervision/my_work.html",
        {
            "flags": flags,
            "actions": actions,
            "emergency": emergency,
            "sweep": selectors.sweep_status(now),
            "now": now,
            "today": timezone.localdate(now),
        },
    )


def team(request: HttpRequest) -> HttpResponse:
    """Supervisors and CSE leads: open flags by worker and kind, by age."""
    if not access.may_see_team_flags(request.user):
        raise Http404
    now = timezone.now()
    rows = selectors.team_view(request.user, now)
    return render(
        request,
        "supervision/team.html",
        {
            "rows": rows,
            "bands": [label for _, label in selectors.AGE_BANDS],
            "sweep": selectors.sweep_status(now),
            "today": timezone.localdate(now),
        },
    )
