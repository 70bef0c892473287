"""Making a referral: the intake form, its duplicate check, and its autosaved draft."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cse_cases import access, audit
from cse_cases import selectors as core_selectors
from cse_cases import services as core_services
from cse_cases.models import User
from cse_cases.params import whole_number
from cse_cases.services import RecordError
from referrals import selectors, services
from referrals.forms import ReferralForm

# Autosaved drafts (cse_cases drafts): a timed-out session loses nothing typed.
INTAKE_DRAFT = "referral-new"


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
