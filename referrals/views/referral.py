"""The referral's page and every step taken on it: assign, screen, identify,
move, decide, close, reopen, and its files.

Thin: forms in, services and selectors out, every read of a child's data
audited. Anyone without access to a referral gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import access, audit
from cse_cases import selectors as core_selectors
from cse_cases import services as core_services
from cse_cases.models import AuditAction, Team, YoungPerson
from cse_cases.services import EditConflict, RecordError
from referrals import selectors, services
from referrals.forms import (
    AssignForm,
    DecisionForm,
    IdentifyForm,
    ReasonForm,
    ScreeningForm,
    TransferForm,
)
from referrals.models import Indicator, Referral
from supervision.caseloads.selectors import new_case_allocation


def _teams(referral: Referral):
    return (
        Team.objects.filter(agency__areas=referral.area_id)
        .select_related("agency")
        .order_by("agency__name", "name")
    )


def _workers(referral: Referral):
    """People who can screen or lead: those working with records in the area."""
    return access.people_working_in(referral.area_id)


def _detail(request: HttpRequest, referral: Referral, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    referral = selectors.referral_page(user, referral.pk)
    audit.record(
        user=user,
        action=AuditAction.VIEW,
        obj=referral,
        young_person_id=referral.young_person_id,
    )
    decides = access.may_decide_referral(user, referral)
    screens = access.may_screen_referral(user, referral)
    sees_record = access.sees_young_person(user, referral.young_person_id)
    teams = _teams(referral)
    labels = dict(Indicator.choices)
    context = {
        "referral": referral,
        "indicator_labels": [labels.get(code, code) for code in referral.indicators],
        "now": timezone.now(),
        "decides": decides,
        "screens": screens,
        "sees_record": sees_record,
        # The record's name, the history's reasons and an earlier referral:
        # the policy's rule, told what this page already knows.
        "full_view": referral.pk
        in access.referral_full_views(
            user,
            [referral],
            sees_young_people=[referral.young_person_id] if sees_record else [],
        ),
        "show_previous": referral.previous_referral_id is not None
        and access.referrals_visible_to(user).filter(pk=referral.previous_referral_id).exists(),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            teams=teams,
            workers=_workers(referral),
            initial={"team": referral.assigned_team_id, "worker": referral.assigned_to_id},
        ),
        "screening_form": forms.get("screening_form")
        or ScreeningForm(
            initial={
                "version": referral.version,
                "risk_level": referral.risk_level,
                "screening_notes": referral.screening_notes,
            }
        ),
        "transfer_form": forms.get("transfer_form") or TransferForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
    }
    return render(request, "referrals/referral.html", context, status=status)


def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    return _detail(request, access.referral_for(request.user, pk))


def _action(request: HttpRequest, pk: int, *, need: str = "decide") -> Referral:
    access.require_records(request.user)
    # They may read it (the referrer, say), but not act on it: 404.
    return access.referral_for_action(request.user, pk, need=need)


@require_POST
def referral_assign(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _action(request, pk)
    form = AssignForm(request.POST, teams=_teams(referral), workers=_workers(referral))
    if form.is_valid():
        try:
            services.referral_assign(
                by=request.user,
                referral=referral,
                team=form.cleaned_data["team"],
                worker=form.cleaned_data["worker"],
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "Referral assigned.")
            return redirect("referral", pk=pk)
    return _detail(request, referral, status=400, assign_form=form)


@require_POST
def referral_start(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _action(request, pk, need="screen")
    try:
        services.referral_screening_start(by=request.user, referral=referral)
    except RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Screening started.")
    return redirect("referral", pk=pk)


@require_POST
def referral_screening(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _action(request, pk, need="screen")
    form = ScreeningForm(request.POST)
    if form.is_valid():
        try:
            services.referral_screening_update(
                by=request.user,
                referral=referral,
                version=form.cleaned_data["version"],
                risk_level=form.cleaned_data["risk_level"],
                screening_notes=form.cleaned_data["screening_notes"],
            )
        except EditConflict as conflict:
            # Keep what they typed; give them the new version to save over.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = ScreeningForm(data)
            form.is_valid()
            form.add_error(None, str(conflict))
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "Screening saved.")
            return redirect("referral", pk=pk)
    return _detail(request, referral, status=400, screening_form=form)


@require_http_methods(["GET", "POST"])
def referral_identify(request: HttpRequest, pk: int) -> HttpResponse:
    """Find the young person's record (within access) and link the referral to it."""
    referral = _action(request, pk, need="screen")
    user = request.user
    error = ""
    if request.method == "POST":
        form = IdentifyForm(request.POST)
        young_person = None
        if form.is_valid():
            young_person = (
                access.young_people_visible_to(user)
                .filter(merged_into__isnull=True, pk=form.cleaned_data["young_person"])
                .first()
            )
        if young_person is None:
            error = "Choose a young person from the search results"
        else:
            try:
                services.referral_identify(by=user, referral=referral, young_person=young_person)
            except RecordError as problem:
                error = str(problem)
            else:
                messages.success(
                    request, f"Referral linked to {young_person.display_name}'s record."
                )
                if young_person.area_id != referral.area_id:
                    messages.warning(
                        request,
                        f"{young_person.display_name} lives in {young_person.area}: move the "
                        "referral to that area's queue if they should screen it.",
                    )
                return redirect("referral", pk=pk)
    text = request.GET.get("q", referral.given_name).strip()[:200]
    results: list[YoungPerson] | None = None
    if text:
        results = core_selectors.search_young_people(user, text=text)
    # Records the referrer's duplicate check matched but could not see.
    matches = core_selectors.visible_young_people(user, referral.possible_match_ids)
    audit.record_many(
        user=user,
        action=AuditAction.SEARCH,
        object_type="youngperson",
        young_person_ids=[p.pk for p in (results or [])] + [p.pk for p in matches],
        detail="identify referral",
    )
    return render(
        request,
        "referrals/identify.html",
        {
            "referral": referral,
            "q": text,
            "results": results,
            "matches": matches,
            "unseen_matches": len(referral.possible_match_ids) - len(matches),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_POST
def referral_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _action(request, pk)
    form = TransferForm(request.POST)
    if form.is_valid():
        try:
            services.referral_transfer(
                by=request.user,
                referral=referral,
                to_area=form.cleaned_data["area"],
                reason=form.cleaned_data["reason"],
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, f"Referral moved to {form.cleaned_data['area'].name}.")
            # They may no longer screen it; the referral page still shows the move.
            return redirect("referral-queue")
    return _detail(request, referral, status=400, transfer_form=form)


@require_http_methods(["GET", "POST"])
def referral_decide(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _action(request, pk)
    form_key = f"referral-decide:{referral.pk}"
    draft = core_services.draft_for(user=request.user, form_key=form_key)
    open_case = selectors.referral_open_case(referral)
    agency = selectors.referrer_agency(referral)
    workers = selectors.lead_professional_choices(referral, agency)
    form = DecisionForm(
        request.POST or None,
        workers=workers,
        referral=referral,
        referrer_agency=agency,
        needs_lead=open_case is None,
        initial=draft.data if draft else {},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.referral_decide(
                    by=request.user,
                    referral=referral,
                    decision=data["decision"],
                    rationale=data["rationale"],
                    feedback=data["feedback"],
                    advice=data["advice"],
                    referred_on_to=data["referred_on_to"],
                    lead_professional=data["lead_professional"],
                )
        except RecordError as error:
            form.add_record_error(error)
        except PermissionDenied:
            form.add_error(None, "You cannot open a case for this young person.")
        else:
            core_services.draft_discard(user=request.user, form_key=form_key)
            messages.success(
                request,
                "Decision recorded. The feedback is being emailed to the referrer."
                if referral.referrer_email
                else "Decision recorded. The referrer gave no email address: tell them the "
                "outcome another way.",
            )
            return redirect("referral", pk=pk)
    referral = selectors.referral_page(request.user, pk)
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=referral,
        young_person_id=referral.young_person_id,
        detail="decision form",
    )
    # A new case's first lead professional is chosen here (by the district's
    # CSE leads and duty managers): each candidate's load, as on a move.
    new_case = (
        new_case_allocation(request.user, referral.young_person, referral.risk_level, workers)
        if open_case is None and referral.young_person is not None
        else None
    )
    return render(
        request,
        "referrals/decide.html",
        {
            "referral": referral,
            "form": form,
            "open_case": open_case,
            "new_case": new_case,
            "now": timezone.now(),
            "form_key": form_key,
            "draft": draft if request.method == "GET" else None,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _action(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, status=400, reason_form=form)
    try:
        services.referral_close(
            by=request.user, referral=referral, reason=form.cleaned_data["reason"]
        )
    except RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Referral closed.")
    return redirect("referral", pk=pk)


@require_POST
def referral_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _action(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.referral_reopen(
                by=request.user, referral=referral, reason=form.cleaned_data["reason"]
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "Referral reopened for a new decision.")
            return redirect("referral", pk=pk)
    return _detail(request, referral, status=400, reason_form=form)


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file from a referral, only for those who may see the referral; audited."""
    access.require_records(request.user)
    referral = access.referral_for(request.user, pk)
    attachment = get_object_or_404(referral.attachments, pk=attachment_pk)
    audit.record(
        user=request.user,
        action=AuditAction.EXPORT,
        obj=attachment,
        young_person_id=referral.young_person_id,
        detail=f"downloaded {attachment.name}",
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
