"""The lists of referrals: those a person made, and the district's screening queue.

Every row shown is a read of a child's data, audited as a search.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cse_cases import access, audit
from cse_cases.models import AuditAction, RiskLevel
from cse_cases.params import whole_number
from referrals import selectors
from referrals.forms import QueueFilterForm


def _require_screener(request: HttpRequest) -> None:
    if not access.may_screen_referrals(request.user):
        raise Http404


def _page_number(request: HttpRequest) -> int:
    return max(1, whole_number(request.GET.get("page"), default=1))


def _audit_list(request: HttpRequest, referrals, detail: str) -> None:
    audit.record_many(
        user=request.user,
        action=AuditAction.SEARCH,
        object_type="referral",
        young_person_ids=[r.young_person_id for r in referrals if r.young_person_id],
        detail=detail,
    )


def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals this person made, with their outcome."""
    access.require_records(request.user)
    page = selectors.referrals_made_by(request.user, page=_page_number(request))
    _audit_list(request, page.object_list, "referrals made")
    return render(
        request,
        "referrals/list.html",
        {
            "page": page,
            "now": timezone.now(),
            "screens": access.may_screen_referrals(request.user),
        },
    )


def queue(request: HttpRequest) -> HttpResponse:
    _require_screener(request)
    form = QueueFilterForm(request.GET or None)
    flt = selectors.QueueFilter()
    if form.is_valid():
        data = form.cleaned_data
        flt = selectors.QueueFilter(
            sort=data["sort"] or "due",
            urgency=data["urgency"],
            risk=data["risk"],
            status=data["status"],
            assigned=data["assigned"],
            overdue=data["overdue"],
        )
    page = selectors.screening_queue(request.user, flt, page=_page_number(request))
    moved_out = selectors.moved_out(request.user)
    meeting_requests = selectors.strategy_discussions_requested(request.user)
    _audit_list(
        request,
        [*page.object_list, *(m.referral for m in moved_out), *meeting_requests],
        "screening queue",
    )
    risk_labels = dict(RiskLevel.choices)
    for row in page.object_list:
        row.shown_risk_label = risk_labels.get(row.shown_risk, "not known")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "moved_out": moved_out,
            "meeting_requests": meeting_requests,
            "may_schedule_meetings": access.may_schedule_meetings(request.user),
        },
    )
