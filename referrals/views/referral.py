"""Referral pages: intake, the screening queue, the referral and its decision.

Thin: forms in, services and selectors out, every read of a child's data
audited. Anyone without access to a referral gets 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import access, audit
from cse_cases import selectors as core_selectors
from cse_cases import services as core_services
from cse_cases.models import AuditAction, RiskLevel, Team, User, YoungPerson
from cse_cases.params import whole_number
from cse_cases.services import EditConflict, RecordError
from referrals import selectors, services
from referrals.forms import (
    AssignForm,
    DecisionForm,
    IdentifyForm,
    QueueFilterForm,
    ReasonForm,
    ReferralForm,
    ScreeningForm,
    TransferForm,
)
from referrals.models import Indicator, Referral

# Autosaved drafts (cse_cases drafts): a timed-out session loses nothing typed.
INTAKE_DRAFT = "referral-new"


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


def _referrer_initial(user: User) -> dict:
    return {
        "referrer_name": user.get_full_name(),
        "referrer_role": user.job_title,
        "referrer_agency_name": user.agency.name if user.agency_id else "",
        "referrer_email": user.email,
        "area": user.areas.order_by("name").first(),
    }


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    user = request.user
    draft = core_services.draft_for(user=user, form_key=INTAKE_DRAFT)
    if draft and _already_sent(user, draft.data.get("idempotency_key")):
        # A last autosave that landed after the form was sent: nothing to restore.
        core_services.draft_discard(user=user, form_key=INTAKE_DRAFT)
        draft = None
    initial = _referrer_initial(user) | (draft.data if draft else {})
    form = ReferralForm(request.POST or None, request.FILES or None, initial=initial)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        earlier = selectors.sent_with_key(user, form.cleaned_data["idempotency_key"])
        if earlier is not None:
            # The same form again (a double click, a retry after a timeout).
            messages.info(request, f"Referral {earlier.reference} had already been sent.")
            return redirect("referral", pk=earlier.pk)
        known = form.cleaned_data["identity"] == "known"
        choice = request.POST.get("match", "")
        match = None
        if known:
            person = form.young_person_data()
            duplicates = core_selectors.duplicate_candidates(
                user,
                first_name=person["legal_first_name"],
                last_name=person["legal_last_name"],
                date_of_birth=person["date_of_birth"],
                identifiers=[],
                aliases=[person["known_as"]] if person["known_as"] else [],
            )
            audit.record_duplicate_check(
                user=user, check=duplicates, detail="duplicate check (referral)"
            )
            if whole_number(choice) is not None:
                match = next((p for p in duplicates.visible if p.pk == whole_number(choice)), None)
            answered = match is not None or choice == "new"
            if (duplicates.visible or duplicates.hidden_match) and not answered:
                return _intake_page(request, form, duplicates)
        try:
            referral, created = services.referral_create(
                by=user,
                data=form.referral_data(),
                young_person=match,
                new_young_person=form.young_person_data() if known and match is None else None,
                # A likely record the referrer may not see: no second record; the
                # screener confirms who it is.
                hidden_match_ids=list(duplicates.hidden_ids) if duplicates else [],
                identity_unknown=not known,
                area=form.cleaned_data["area"],
                attachments=form.cleaned_data["attachments"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            core_services.draft_discard(user=user, form_key=INTAKE_DRAFT)
            if created:
                messages.success(
                    request,
                    f"Referral {referral.reference} sent to {referral.area.name}. A decision "
                    f"is due by {timezone.localtime(referral.decision_due_at):%-d %B, %H:%M}.",
                )
            else:
                messages.info(request, f"Referral {referral.reference} had already been sent.")
            return redirect("referral", pk=referral.pk)
    return _intake_page(request, form, duplicates, draft=draft if request.method == "GET" else None)


def _already_sent(user: User, key) -> bool:
    try:
        return selectors.sent_with_key(user, uuid.UUID(str(key))) is not None
    except ValueError:
        return False


def _intake_page(
    request: HttpRequest, form: ReferralForm, duplicates, *, draft=None
) -> HttpResponse:
    if request.FILES:
        # Browsers cannot refill a file input: say so rather than lose them silently.
        form.add_error(
            "attachments",
            "Choose your files again before sending: for your security, files are not "
            "kept until the referral is sent",
        )
    return render(
        request,
        "referrals/create.html",
        {"form": form, "duplicates": duplicates, "draft": draft, "form_key": INTAKE_DRAFT},
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
            "may_schedule_meetings": access.has_role(request.user, access.Role.CSE_LEAD),
        },
    )


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
    sees_record = referral.young_person_id is not None and (
        access.young_people_visible_to(user).filter(pk=referral.young_person_id).exists()
    )
    teams = _teams(referral)
    labels = dict(Indicator.choices)
    context = {
        "referral": referral,
        "indicator_labels": [labels.get(code, code) for code in referral.indicators],
        "now": timezone.now(),
        "decides": decides,
        "screens": screens,
        "sees_record": sees_record,
        # The record's name, the history's reasons and an earlier referral are
        # for those who see the young person's record or screen the referral;
        # a referrer sees what they gave and the outcome.
        "full_view": sees_record or screens,
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
    referral = access.referral_for(request.user, pk)
    allowed = (
        access.may_decide_referral(request.user, referral)
        if need == "decide"
        else access.may_screen_referral(request.user, referral)
    )
    if not allowed:
        # They may read it (the referrer, say), but not act on it.
        raise Http404
    return referral


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
    form = DecisionForm(
        request.POST or None,
        workers=selectors.lead_professional_choices(referral, agency),
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
    return render(
        request,
        "referrals/decide.html",
        {
            "referral": referral,
            "form": form,
            "open_case": open_case,
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
