"""Pages for young people's records and their cases. Thin: forms in, services
and selectors out, every read of identifiable data audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import access, audit, chronology, panels, selectors, services
from cse_cases.models import Agency, AuditAction, Case, CaseMember, User, YoungPerson
from cse_cases.params import whole_number
from cse_cases.record_forms import (
    BreakGlassForm,
    CaseCloseForm,
    CaseOpenForm,
    ChronologyFilterForm,
    MemberForm,
    NoteForm,
    RiskForm,
    SearchForm,
    ShareForm,
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


# A match found by search waits in the session, never in the page or the
# address: emergency access is reached by finding the young person, and no
# id the browser could send (or guess) opens a record.
BREAK_GLASS_MATCH = "harbour_break_glass_match"
BREAK_GLASS_MATCH_MINUTES = 30


def search(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    form = SearchForm(request.GET or None)
    results = None
    hidden_matches = 0
    if form.is_bound and form.is_valid() and form.has_criteria():
        data = form.cleaned_data
        results = selectors.search_young_people(
            request.user,
            text=data["q"],
            date_of_birth=data["date_of_birth"],
            identifier=data["identifier"],
            area_id=data["area"].pk if data["area"] else None,
        )
        hidden = _break_glass_offer(request, data)
        hidden_matches = len(hidden)
        # One row per child found: "who has seen this record" includes searches,
        # and a match the searcher cannot see is recorded against that child so
        # information governance can spot anyone probing.
        audit.record_many(
            user=request.user,
            action=AuditAction.SEARCH,
            object_type="youngperson",
            young_person_ids=[person.pk for person in results],
            detail=f"search: {len(results)} results",
        )
        if hidden:
            audit.record_many(
                user=request.user,
                action=AuditAction.SEARCH,
                object_type="youngperson",
                young_person_ids=hidden,
                detail="search matched a record the searcher cannot see",
            )
    return render(
        request,
        "records/search.html",
        {
            "form": form,
            "results": results,
            "limit": selectors.SEARCH_LIMIT,
            "hidden_matches": hidden_matches,
        },
    )


def _break_glass_offer(request: HttpRequest, data: dict) -> list[int]:
    """Records this person cannot see that their search identifies closely
    (name and date of birth, or an identifier). Exactly one is remembered in
    the session for the emergency-access page; more than one must be narrowed."""
    request.session.pop(BREAK_GLASS_MATCH, None)
    matches = selectors.strong_matches(
        text=data["q"], date_of_birth=data["date_of_birth"], identifier=data["identifier"]
    )
    if matches is None:
        return []
    hidden = access.break_glass_candidates(request.user, matches)
    if len(hidden) == 1:
        request.session[BREAK_GLASS_MATCH] = {
            "young_person": hidden[0],
            "found_at": timezone.now().isoformat(),
        }
    return hidden


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
    access.require_records(request.user)
    young_person = selectors.record_page(request.user, pk)
    if young_person.merged_into_id:
        messages.info(request, "That record was merged into this one.")
        return redirect("young-person", pk=young_person.merged_into_id)
    _audit_viewed(request, young_person)
    case = selectors.open_case(young_person)
    chronology_form, entries = _chronology(request, young_person)
    links = (
        access.links_visible_to(request.user)
        .filter(Q(young_person=young_person) | Q(other_young_person=young_person))
        .select_related("person", "location", "young_person", "other_young_person")
        .order_by("-created_at")
    )
    return render(
        request,
        "records/young_person.html",
        {
            "links": links,
            "young_person": young_person,
            "case": case,
            "chronology_form": chronology_form,
            "entries": entries,
            "may_edit": case is not None and access.may_edit_case(request.user, case),
            "restricted": access.may_see_restricted_details(request.user, young_person),
            "viewers": selectors.who_has_seen(request.user, young_person),
            "emergency_access": selectors.emergency_access(young_person),
            "history": selectors.change_history(request.user, young_person),
            "may_merge": access.has_role(request.user, access.Role.CSE_LEAD),
            "missing": selectors.missing_summary(request.user, young_person),
            "may_record_missing": access.may_record_missing(request.user, young_person),
            "may_edit_record": access.may_edit_young_person(request.user, young_person),
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
    if not access.may_edit_young_person(request.user, young_person):
        raise Http404
    if request.method == "GET":
        _audit_viewed(request, young_person, "edit form")
    restricted = access.may_see_restricted_details(request.user, young_person)
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


def _case_page(request: HttpRequest, pk: int, *, need_edit: bool = True) -> Case:
    access.require_records(request.user)
    case = access.case_for(request.user, pk)
    if need_edit and not access.may_edit_case(request.user, case):
        raise Http404
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


def _record_workers() -> QuerySet[User]:
    """Anyone in the partnership who can hold a case: the team around the
    child takes members from any agency and district (a child placed out of
    area has workers where they live), and sharing reaches beyond it. The
    picker's label tells people of the same name apart by agency and team."""
    return (
        User.objects.filter(is_active=True, role__in=access.RECORD_ROLES)
        .select_related("agency", "team")
        .order_by("last_name", "first_name")
    )


@require_http_methods(["GET", "POST"])
def case_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_page(request, pk)
    already = CaseMember.objects.filter(case=case, user=OuterRef("pk"), removed_at__isnull=True)
    people = _record_workers().exclude(pk=case.lead_professional_id).exclude(Exists(already))
    return _case_action(
        request,
        case,
        MemberForm(request.POST or None, people=people),
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
        ShareForm(request.POST or None, people=_record_workers()),
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


def _break_glass_match(request: HttpRequest) -> int | None:
    """The young person the last search found, if it was recent enough."""
    match = request.session.get(BREAK_GLASS_MATCH)
    if not isinstance(match, dict):
        return None
    try:
        found_at = datetime.fromisoformat(match["found_at"])
        young_person_id = int(match["young_person"])
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now() - found_at > timedelta(minutes=BREAK_GLASS_MATCH_MINUTES):
        return None
    return young_person_id


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    """Emergency access to the record the person's last search found.

    The page takes no id: whatever is posted, only the session's match is
    opened, so the answer says nothing about records that were not found."""
    if not access.may_break_glass(request.user):
        raise Http404
    match = _break_glass_match(request)
    form = BreakGlassForm(request.POST or None)
    if match is not None and request.method == "POST" and form.is_valid():
        candidates = access.break_glass_candidates(
            request.user, YoungPerson.objects.filter(pk=match)
        )
        if not candidates:
            # They can see it now (or it was merged away): nothing to open.
            request.session.pop(BREAK_GLASS_MATCH, None)
            if access.young_people_visible_to(request.user).filter(pk=match).exists():
                return redirect("young-person", pk=match)
            match = None
        else:
            cases = Case.objects.filter(young_person_id=match).order_by("-opened_on", "-pk")
            # The open case if there is one, else the most recent.
            case = cases.filter(status="open").first() or cases.first()
            try:
                services.break_glass_open(
                    user=request.user, case=case, reason=form.cleaned_data["reason"]
                )
            except services.RecordError as error:
                form.add_record_error(error)
            else:
                request.session.pop(BREAK_GLASS_MATCH, None)
                messages.success(
                    request,
                    f"You have emergency access for {services.records.BREAK_GLASS_HOURS} "
                    "hours. The lead professional has been told, and information "
                    "governance reviews it.",
                )
                return redirect("young-person", pk=match)
    return render(
        request,
        "records/break_glass.html",
        {
            "form": form,
            "has_match": match is not None,
            "hours": services.records.BREAK_GLASS_HOURS,
        },
    )


def _editable_open_case(request: HttpRequest, young_person) -> Case:
    case = selectors.open_case(young_person)
    if case is None or not access.may_edit_case(request.user, case):
        raise Http404
    return case


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
        agencies=Agency.objects.filter(is_active=True).order_by("name"),
    )
    flt = chronology.Filter()
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"]
        agency = form.cleaned_data["agency"]
        flt = chronology.Filter(
            kinds=frozenset([kind]) if kind else frozenset(),
            agency_id=agency.pk if agency else None,
        )
    return form, chronology.timeline(request.user, young_person, flt)


@require_POST
def possible_duplicate_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSE lead's decision on a possible duplicate in their district."""
    item = next((d for d in selectors.possible_duplicates_for(request.user) if d.pk == pk), None)
    if item is None or not item.decidable:
        raise Http404
    same_person = request.POST.get("decision") == "same"
    reason = request.POST.get("reason", "").strip() or (
        "Checked by the CSE lead: " + ("the same young person" if same_person else "different")
    )
    try:
        left = services.possible_duplicate_resolve(
            by=request.user, item=item, same_person=same_person, reason=reason
        )
    except services.RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Records merged." if same_person else "Marked as different young people.",
        )
        for sentence in left:
            messages.warning(request, sentence)
    return redirect("home")


@require_POST
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a new case for a young person whose earlier case is closed."""
    access.require_records(request.user)
    young_person = selectors.record_page(request.user, pk)
    may_open = young_person.created_by_id == request.user.pk or any(
        access.may_edit_case(request.user, case) for case in young_person.visible_cases
    )
    if not may_open:
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
    if not access.has_role(request.user, access.Role.CSE_LEAD):
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
