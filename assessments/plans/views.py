"""Plan pages: the young person's See Me, Hear Me plan, its versions, and a review."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assessments.models import PLAN_SECTIONS
from assessments.plans import selectors, services
from assessments.plans.forms import PlanForm
from cse_cases import access, audit
from cse_cases.models import AuditAction, Case, User
from cse_cases.services import RecordError


def _case(request: HttpRequest, pk: int, *, need_edit: bool = False) -> access.CaseAccess:
    access.require_records(request.user)
    return access.plan_case_for(request.user, pk, need_edit=need_edit)


def plan(request: HttpRequest, pk: int) -> HttpResponse:
    found_case = _case(request, pk)
    case = found_case.case
    found, versions = selectors.plan_of(request.user, case)
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=case,
        young_person_id=case.young_person_id,
        detail="plan",
    )
    current = versions[0] if versions else None
    return render(
        request,
        "assessments/plans/plan.html",
        {
            "case": case,
            "young_person": case.young_person,
            "plan": found,
            "current": current,
            "versions": versions,
            "changes": services.plan_changes(versions[1], current) if len(versions) > 1 else [],
            "may_review": access.may_review_plan(found_case),
            "today": timezone.localdate(),
            "sections": [(h, getattr(current, n)) for n, h in PLAN_SECTIONS] if current else [],
        },
    )


def plan_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    case = _case(request, pk).case
    _, versions = selectors.plan_of(request.user, case)
    by_number = {v.number: v for v in versions}
    if number not in by_number:
        raise Http404
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=by_number[number],
        young_person_id=case.young_person_id,
        detail=f"plan version {number}",
    )
    return render(
        request,
        "assessments/plans/plan_version.html",
        {
            "case": case,
            "young_person": case.young_person,
            "version": by_number[number],
            "sections": [(h, getattr(by_number[number], n)) for n, h in PLAN_SECTIONS],
            "changes": services.plan_changes(by_number.get(number - 1), by_number[number]),
            "latest": versions[0].number,
        },
    )


def _team(case: Case) -> QuerySet[User]:
    """People who may be the consistent worker: the lead and the team."""
    return access.consistent_worker_choices(case)


@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, need_edit=True).case
    _, versions = selectors.plan_of(request.user, case)
    current = versions[0] if versions else None
    initial: dict = {"based_on": current.number if current else 0}
    if current is not None:
        initial |= {name: getattr(current, name) for name, _ in PLAN_SECTIONS} | {
            "consistent_worker": current.consistent_worker_id
        }
    form = PlanForm(request.POST or None, initial=initial, people=_team(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.plan_review(
                by=request.user,
                case=case,
                sections=form.sections(),
                consistent_worker=data["consistent_worker"],
                review_on=data["review_on"],
                review_notes=data["review_notes"],
                based_on=data["based_on"],
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, f"Plan version {version.number} saved.")
            return redirect("plan", pk=case.pk)
    return render(
        request,
        "assessments/plans/plan_form.html",
        {"case": case, "young_person": case.young_person, "form": form, "current": current},
    )
