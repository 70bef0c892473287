"""Pages for young people's records and their cases. Thin: forms in, services
and selectors out, every read of identifiable data audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import access, audit, chronology, panels, selectors, services
from cse_cases.models import AuditAction, Case, User, YoungPerson
from cse_cases.params import whole_number
from cse_cases.prepared import prepared_statements
from cse_cases.record_forms import (
    CaseOpenForm,
    ChronologyFilterForm,
    NoteForm,
    YoungPersonForm,
)


def _audit_viewed(request: HttpRequest, young_person: YoungPerson, detail: str = "") -> None:
    """Record that this page showed the young person's record (forms read it too)."""
    audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=young_person,
        young_person_id=young_person.pk,
        detail=detail,
    )


@require_http_methods(["GET", "POST"])
def young_person_create(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    initial, draft = _with_draft(request, "young-person-new", {"area": _home_area(request.user)})
    form = YoungPersonForm(request.POST or None, initial=initial)
    case_form = CaseOpenForm(request.POST or None, initial=initial)
    duplicates = None
    if request.method == "POST" and form.is_valid() and case_form.is_valid():
        data = dict(form.cleaned_data)
        aliases = data.pop("aliases")
        duplicates = selectors.duplicate_candidates(
            request.user,
            first_name=data["legal_first_name"],
            last_name=data["legal_last_name"],
            date_of_birth=data["date_of_birth"],
            identifiers=[data["nhs_number"], data["police_reference"], data["school_upn"]],
            aliases=aliases,
        )
        audit.record_duplicate_check(user=request.user, check=duplicates, detail="duplicate check")
        confirmed = request.POST.get("not_a_duplicate") == "yes"
        if (duplicates.visible or duplicates.hidden_match) and not confirmed:
            return render(
                request,
                "records/young_person_form.html",
                {
                    "form": form,
                    "case_form": case_form,
                    "duplicates": duplicates,
                    "creating": True,
                    "form_key": "young-person-new",
                },
            )
        try:
            # The record and its case are made together, or not at all.
            with transaction.atomic():
                young_person = services.young_person_create(
                    by=request.user,
                    data=data,
                    aliases=aliases,
                    possible_duplicate_ids=list(duplicates.hidden_ids),
                )
                services.case_open(
                    by=request.user,
                    young_person=young_person,
                    lead_professional=request.user,
                    exploitation_models=case_form.cleaned_data["exploitation_models"],
                )
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            services.draft_discard(user=request.user, form_key="young-person-new")
            messages.success(request, f"Record created for {young_person.display_name}.")
            return redirect("young-person", pk=young_person.pk)
    return render(
        request,
        "records/young_person_form.html",
        {
            "form": form,
            "case_form": case_form,
            "duplicates": duplicates,
            "creating": True,
            "form_key": "young-person-new",
            "draft": draft if request.method == "GET" else None,
        },
    )


def _home_area(user: User) -> int | None:
    area = user.areas.first()
    return area.pk if area else None


def young_person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Each of the page's reads is planned by PostgreSQL in 1-10 ms and run in
    # well under 1 (the policy's conditions make them long): prepared, they
    # are planned a few times per connection, not on every page.
    with prepared_statements():
        return _young_person_page(request, pk)


def _young_person_page(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    young_person = selectors.record_page(request.user, pk)
    if young_person.merged_into_id:
        messages.info(request, "That record was merged into this one.")
        return redirect("young-person", pk=young_person.merged_into_id)
    _audit_viewed(request, young_person)
    # What this reader may do here, decided once from the loaded record.
    rights = access.record_access(request.user, young_person)
    case = rights.case
    chronology_form, entries = _chronology(request, young_person)
    links = selectors.record_links(request.user, young_person)
    audit_trail = selectors.record_audit(request.user, young_person)
    return render(
        request,
        "records/young_person.html",
        {
            "links": links,
            "young_person": young_person,
            "case": case,
            "chronology_form": chronology_form,
            "entries": entries,
            "may_edit": rights.may_edit,
            "restricted": rights.restricted,
            "viewers": audit_trail.viewers if audit_trail else None,
            "emergency_access": selectors.emergency_access(young_person),
            "history": audit_trail.history if audit_trail else None,
            "may_merge": rights.may_merge,
            "missing": selectors.missing_summary(request.user, young_person),
            "may_record_missing": rights.may_record_missing,
            "may_edit_record": rights.may_edit_record,
            "repeat_days": settings.MISSING_REPEAT_DAYS,
            "now": timezone.now(),
            "today": timezone.localdate(),
            # What features show about the open case (cse_cases/panels.py).
            "panels": panels.for_record(request.user, young_person, case) if case else [],
        },
    )


@require_http_methods(["GET", "POST"])
def young_person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    young_person = selectors.record_page(request.user, pk)
    rights = access.record_access(request.user, young_person)
    if not rights.may_edit_record:
        raise Http404
    if request.method == "GET":
        _audit_viewed(request, young_person, "edit form")
    restricted = rights.restricted
    form_key = f"young-person-edit:{young_person.pk}"
    initial, draft = _with_draft(
        request, form_key, {"aliases": "\n".join(a.name for a in young_person.aliases.all())}
    )
    form = YoungPersonForm(
        request.POST or None, instance=young_person, show_restricted=restricted, initial=initial
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "aliases"}
        version = request.POST.get("version", "")
        try:
            services.young_person_update(
                by=request.user,
                young_person=young_person,
                version=whole_number(version, default=-1),
                data=data,
                aliases=form.cleaned_data["aliases"],
            )
        except PermissionDenied:
            raise Http404 from None
        except services.EditConflict as error:
            conflict = error.current
            form.add_error(None, str(error))
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            services.draft_discard(user=request.user, form_key=form_key)
            messages.success(request, "Record saved.")
            return redirect("young-person", pk=young_person.pk)
    return render(
        request,
        "records/young_person_form.html",
        {
            "form": form,
            "young_person": young_person,
            "version": conflict.version if conflict else young_person.version,
            "conflict": conflict,
            "form_key": form_key,
            "draft": draft if request.method == "GET" else None,
        },
    )


def _editable_open_case(request: HttpRequest, young_person: YoungPerson) -> Case:
    rights = access.record_access(request.user, young_person)
    if rights.case is None or not rights.may_edit:
        raise Http404
    return rights.case


@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    young_person = selectors.record_page(request.user, pk)
    case = _editable_open_case(request, young_person)
    if request.method == "GET":
        _audit_viewed(request, young_person, "note form")
    form_key = f"note-new:{young_person.pk}"
    initial, draft = _with_draft(
        request,
        form_key,
        {
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            "visibility": "team",
        },
    )
    form = NoteForm(request.POST or None, people=access.named_viewer_choices(case), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_note_add(by=request.user, case=case, **form.cleaned_data)
        except services.RecordError as error:
            form.add_record_error(error)
        else:
            services.draft_discard(user=request.user, form_key=form_key)
            messages.success(request, "Note added to the chronology.")
            return redirect("young-person", pk=young_person.pk)
    return render(
        request,
        "records/note_form.html",
        {
            "form": form,
            "young_person": young_person,
            "case": case,
            "form_key": form_key,
            "draft": draft if request.method == "GET" else None,
        },
    )


def chronology_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline, filtered; a fragment for htmx, the whole page otherwise."""
    access.require_records(request.user)
    young_person = selectors.record_page(request.user, pk)
    form, entries = _chronology(request, young_person)
    _audit_viewed(request, young_person, "chronology")
    template = (
        "records/_chronology.html"
        if request.headers.get("HX-Request")
        else "records/chronology.html"
    )
    return render(
        request,
        template,
        {"young_person": young_person, "chronology_form": form, "entries": entries},
    )


def _chronology(request: HttpRequest, young_person) -> tuple:
    form = ChronologyFilterForm(
        request.GET or None,
        kinds=chronology.kinds(),
        agencies=selectors.active_agencies(),
    )
    flt = chronology.Filter()
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"]
        agency = form.cleaned_data["agency"]
        flt = chronology.Filter(
            kinds=frozenset([kind]) if kind else frozenset(),
            agency_id=agency,
        )
    return form, chronology.timeline(request.user, young_person, flt)


@require_POST
def draft_save(request: HttpRequest) -> HttpResponse:
    """htmx autosave: keeps what someone has typed, answering with a status line."""
    access.require_records(request.user)
    draft = services.draft_save(
        user=request.user, form_key=request.POST.get("form_key", ""), fields=request.POST
    )
    if draft is None:
        raise Http404
    saved = timezone.localtime(draft.updated_at).strftime("%H:%M:%S")
    return HttpResponse(f"Draft saved at {saved}")


@require_POST
def draft_discard(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    services.draft_discard(user=request.user, form_key=request.POST.get("form_key", ""))
    messages.success(request, "Draft discarded.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("young-people")


def _with_draft(request: HttpRequest, form_key: str, initial: dict) -> tuple[dict, object]:
    """Initial values for a form page, with an autosaved draft laid over them."""
    draft = services.draft_for(user=request.user, form_key=form_key)
    if draft is None:
        return initial, None
    return {**initial, **draft.data}, draft


@require_http_methods(["GET", "POST"])
def young_person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSE lead folds this record into another record of the same young person."""
    if not access.may_merge_records(request.user):
        raise Http404
    duplicate = access.young_person_for(request.user, pk)
    error = None
    # The field the error summary links to: the record number unless the
    # service names another ("Give the reason for merging").
    error_field = "keep"
    if request.method == "POST":
        keep_id = request.POST.get("keep", "")
        reason = request.POST.get("reason", "")
        keep = (
            access.young_people_visible_to(request.user)
            .filter(pk=whole_number(keep_id), merged_into__isnull=True)
            .first()
            if whole_number(keep_id) is not None
            else None
        )
        if keep is None:
            error = "Enter the number of a record you can see, to keep"
        else:
            try:
                merged = services.young_people_merge(
                    by=request.user, keep=keep, duplicate=duplicate, reason=reason
                )
            except services.RecordError as problem:
                error = str(problem)
                error_field = "reason" if problem.field == "reason" else "keep"
            else:
                messages.success(request, f"Record {duplicate.pk} merged into this one.")
                for sentence in merged.left:
                    messages.warning(request, sentence)
                return redirect("young-person", pk=keep.pk)
    return render(
        request,
        "records/merge.html",
        {
            "duplicate": duplicate,
            "error": error,
            "error_field": error_field,
            "values": request.POST,
        },
    )
