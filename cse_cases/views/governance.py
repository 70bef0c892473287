"""Information governance: find a record, read and export its audit trail,
review each use of emergency access. Only the districts the officer serves;
anything else, or anything that does not exist, is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cse_cases import access, audit, services
from cse_cases.exports import csv_response
from cse_cases.governance_forms import BreakGlassReviewForm, FindRecordForm, TrailFilterForm
from cse_cases.models import AuditAction, YoungPerson
from cse_cases.selectors import governance as selectors


def _require_audit(request: HttpRequest) -> None:
    if not access.may_audit(request.user):
        raise Http404


@require_GET
def find_record(request: HttpRequest) -> HttpResponse:
    _require_audit(request)
    form = FindRecordForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.has_criteria():
        data = form.cleaned_data
        results = selectors.find_records(
            request.user,
            text=data["q"],
            date_of_birth=data["date_of_birth"],
            identifier=data["identifier"],
            record_number=data["record_number"],
        )
        audit.record_many(
            user=request.user,
            action=AuditAction.SEARCH,
            object_type="youngperson",
            young_person_ids=[person.pk for person in results],
            detail=f"IG search: {len(results)} results",
        )
    return render(
        request,
        "governance/find.html",
        {"form": form, "results": results, "limit": selectors.FIND_LIMIT},
    )


def _trail(request: HttpRequest, pk: int) -> tuple[YoungPerson, TrailFilterForm, object]:
    _require_audit(request)
    young_person = access.audited_young_person_for(request.user, pk)
    form = TrailFilterForm(request.GET or None, people=selectors.trail_people(young_person))
    flt = selectors.TrailFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        flt = selectors.TrailFilter(
            user_id=data["person"],
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    return young_person, form, flt


@require_GET
def audit_trail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every read and change of one child's record, filtered and paged."""
    young_person, form, flt = _trail(request, pk)
    page = selectors.trail_page(young_person, flt, request.GET.get("page"))
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="audittrail",
        young_person_id=young_person.pk,
        detail="IG audit trail",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/audit_trail.html",
        {
            "young_person": young_person,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@require_GET
def audit_trail_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The (filtered) trail as CSV, streamed; the export is itself audited."""
    young_person, form, flt = _trail(request, pk)
    if form.is_bound and not form.is_valid():
        # Never the whole trail in place of the filtered one asked for: the
        # page says what is wrong with the filter.
        return redirect(
            f"{reverse('audit-trail', args=[young_person.pk])}?{request.GET.urlencode()}"
        )
    audit.record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="audittrail",
        young_person_id=young_person.pk,
        detail="IG audit trail as CSV",
    )
    events = selectors.trail_events(young_person, flt).iterator(chunk_size=2000)
    rows = (
        [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            event.username,
            event.agency_name,
            selectors.describe(event),
            "; ".join(
                f"{field}: {values[0]} -> {values[1]}"
                if isinstance(values, list) and len(values) == 2
                else field
                for field, values in event.fields_changed.items()
            ),
            event.ip_address or "",
            event.reason,
            event.detail,
        ]
        for event in events
    )
    stamp = timezone.localdate().isoformat()
    return csv_response(
        f"audit-trail-record-{young_person.pk}-{stamp}.csv",
        ["When", "Who", "Agency", "What", "Fields changed", "From", "Reason", "Detail"],
        rows,
    )


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_audit(request)
    waiting = list(selectors.review_queue(request.user, reviewed=False)[:200])
    reviewed = list(selectors.review_queue(request.user, reviewed=True)[:50])
    audit.record_many(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="breakglassgrant",
        young_person_ids=[grant.case.young_person_id for grant in waiting + reviewed],
        detail="emergency access review queue",
    )
    return render(
        request, "governance/review_queue.html", {"waiting": waiting, "reviewed": reviewed}
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_audit(request)
    grant = access.break_glass_grant_for_review(request.user, pk)
    existing = getattr(grant, "review", None)
    form = BreakGlassReviewForm(request.POST or None)
    if request.method == "GET":
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            obj=grant,
            young_person_id=grant.case.young_person_id,
            detail="emergency access review",
        )
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.break_glass_review(by=request.user, grant=grant, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "Review recorded.")
            return redirect("break-glass-queue")
    return render(
        request,
        "governance/review.html",
        {"grant": grant, "existing": existing, "form": form},
    )
