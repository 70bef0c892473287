"""Pages that change a case: close it, record its risk level, the team around
the child, information sharing, and opening a new case."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import access, audit, selectors, services
from cse_cases.models import AuditAction, Case, CaseMember
from cse_cases.record_forms import CaseCloseForm, MemberForm, RiskForm, ShareForm


def _case_page(request: HttpRequest, pk: int, *, need_edit: bool = True) -> Case:
    access.require_records(request.user)
    # One lookup: the case, and 404 unless this person may change it.
    case = access.case_access_for(request.user, pk, need_edit=need_edit).case
    if request.method == "GET":
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            obj=case,
            young_person_id=case.young_person_id,
            detail=request.resolver_match.url_name if request.resolver_match else "",
        )
    return case


def _case_action(
    request: HttpRequest,
    case: Case,
    form: forms.Form,
    *,
    act: Callable[[dict], object],
    done: str,
    title: str,
    button: str,
) -> HttpResponse:
    """The shape every case form shares: validate, call the service, report."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, done)
            return redirect("young-person", pk=case.young_person_id)
    return render(
        request,
        "records/case_form.html",
        {"form": form, "case": case, "title": title, "button": button},
    )


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_page(request, pk)
    form = CaseCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    return _case_action(
        request,
        case,
        form,
        act=lambda data: services.case_close(by=request.user, case=case, **data),
        done="The case is closed.",
        title="Close the case",
        button="Close case",
    )


@require_http_methods(["GET", "POST"])
def case_risk(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_page(request, pk)
    form = RiskForm(request.POST or None, initial={"level": case.risk_level})
    return _case_action(
        request,
        case,
        form,
        act=lambda data: services.case_risk_set(by=request.user, case=case, **data),
        done="Risk level recorded.",
        title="Record the risk level",
        button="Save risk level",
    )


@require_http_methods(["GET", "POST"])
def case_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_page(request, pk)
    return _case_action(
        request,
        case,
        MemberForm(request.POST or None, people=access.case_member_choices(case)),
        act=lambda data: services.case_member_add(by=request.user, case=case, **data),
        done="Added to the team around the child.",
        title="Add someone to the team around the child",
        button="Add to the team",
    )


@require_POST
def case_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    case = _case_page(request, pk)
    member = CaseMember.objects.filter(case=case, pk=member_pk, removed_at__isnull=True).first()
    if member is None:
        raise Http404
    services.case_member_remove(by=request.user, member=member)
    messages.success(request, f"{member.user} left the team around the child.")
    return redirect("young-person", pk=case.young_person_id)


@require_http_methods(["GET", "POST"])
def case_share(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_page(request, pk)
    return _case_action(
        request,
        case,
        ShareForm(request.POST or None, people=access.record_workers()),
        act=lambda data: services.case_share(
            by=request.user,
            case=case,
            with_user=data["user"],
            shared=data["shared"],
            purpose=data["purpose"],
            lawful_basis=data["lawful_basis"],
        ),
        done="Information-sharing decision recorded.",
        title="Record an information-sharing decision",
        button="Record decision",
    )


@require_POST
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a new case for a young person whose earlier case is closed."""
    access.require_records(request.user)
    young_person = selectors.record_page(request.user, pk)
    if not access.may_open_case(request.user, young_person):
        raise Http404
    try:
        services.case_open(
            by=request.user, young_person=young_person, lead_professional=request.user
        )
    except services.RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "A new case is open, with you as lead professional.")
    return redirect("young-person", pk=young_person.pk)
