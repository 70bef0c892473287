"""Supervision pages: my sessions, record one, read one, change one, and the
worker's reflection. Each asks cse_cases/access/supervision.py once and gets
404 for anyone it does not let in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cse_cases import access, audit
from cse_cases import services as core
from cse_cases.models import AuditAction, User
from cse_cases.services import RecordError
from supervision.sessions import selectors, services
from supervision.sessions.forms import (
    DiscussionFormSet,
    EditSessionForm,
    ReflectionForm,
    SessionForm,
)
from supervision.sessions.models import PRIVATE_FIELDS, SupervisionSession


def _draft(request: HttpRequest, form_key: str) -> tuple[dict[str, Any], object | None]:
    draft = core.draft_for(user=request.user, form_key=form_key)
    return (dict(draft.data) if draft is not None else {}), draft


def _formset_initial(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A draft's case rows ("cases-0-decision", ...) as a formset's initial."""
    rows: dict[int, dict[str, Any]] = {}
    for key, value in data.items():
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == "cases" and parts[1].isdigit():
            rows.setdefault(int(parts[1]), {})[parts[2]] = value
    return [rows[i] for i in sorted(rows) if i < 20]


def _discussion_formset(
    request: HttpRequest, worker: User, initial: list[dict[str, Any]] | None = None
) -> Any:
    if request.method == "POST":
        # A draft is only offered back on the page: laid under a posted form it
        # would make a typed row look unchanged, and Django drops unchanged rows.
        initial = None
    cases = access.discussable_cases(request.user, worker)
    owners = User.objects.filter(
        Q(pk=worker.pk)
        | Q(pk__in=cases.values("lead_professional"))
        | Q(case_memberships__case__in=cases.values("pk"), case_memberships__removed_at=None)
    ).distinct()
    return DiscussionFormSet(
        request.POST if request.method == "POST" else None,
        prefix="cases",
        initial=initial,
        form_kwargs={
            "cases": cases,
            "owners": owners.select_related("agency", "team"),
            "worker_name": str(worker),
        },
    )


def _place_error(form: Any, formset: Any, error: RecordError) -> None:
    """A service's message against its field: a case row's or the form's."""
    field = error.field or ""
    parts = field.split("-", 2)
    if len(parts) == 3 and parts[0] == "cases" and parts[1].isdigit():
        index = int(parts[1])
        if index < len(formset.forms):
            formset.forms[index].add_error(parts[2], str(error))
            return
    form.add_record_error(error)


def _discussions(formset: Any) -> list[services.Discussion]:
    return [d for f in formset.forms if (d := f.discussion()) is not None]


def session_list(request: HttpRequest) -> HttpResponse:
    """As supervisor, the sessions I hold and who is due; as worker, mine;
    information governance, that sessions happened in their districts."""
    user = request.user
    if not (
        access.may_see_identifiable_records(user)
        or access.has_role(user, access.Role.INFORMATION_GOVERNANCE)
    ):
        raise Http404
    today = timezone.localdate()
    sessions = selectors.sessions_for(user)
    supervises = access.may_hold_supervision(user)
    supervisees = selectors.supervisees_with_due(user, today) if supervises else []
    # Team figures: on time over the quarter, median length, and wellbeing
    # only as a team figure no one's own rating can be read from.
    teams = access.wellbeing_teams_for(user)
    compliance = selectors.supervision_compliance(teams, today) if supervises else []
    wellbeing = selectors.wellbeing_by_team(user, today) if supervises else []
    audit.record(
        user=user,
        action=AuditAction.VIEW,
        object_type="supervisionsession",
        detail="supervision sessions list",
    )
    return render(
        request,
        "supervision/sessions/list.html",
        {
            **sessions,
            "supervisees": supervisees,
            "compliance": compliance,
            "wellbeing": wellbeing,
            "today": today,
        },
    )


def _worker_from_query(request: HttpRequest) -> User:
    raw = request.GET.get("worker", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise Http404("Choose a worker you supervise.")
    return access.supervisee_for(request.user, int(raw))


SaveSession = Callable[[services.SessionParts, list[services.Discussion]], SupervisionSession]


def _submit(
    request: HttpRequest, form: Any, formset: Any, form_key: str, save: SaveSession
) -> HttpResponse | None:
    """The session form's POST, for recording and changing alike: with the form
    and its case rows valid, `save` them through the service; on success the
    draft goes and the session opens. A refusal lands on its field (None: the
    page shows the form again); a SessionConflict is the caller's to show."""
    if request.method != "POST" or not (form.is_valid() & formset.is_valid()):
        return None
    try:
        session = save(form.parts(), _discussions(formset))
    except services.SessionConflict:
        raise
    except RecordError as error:
        _place_error(form, formset, error)
        return None
    except PermissionDenied:
        raise Http404 from None
    core.draft_discard(user=request.user, form_key=form_key)
    return redirect("supervision-session", pk=session.pk)


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    formset: Any,
    worker: User,
    form_key: str,
    draft: object | None,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "supervision/sessions/form.html",
        {
            "form": form,
            "formset": formset,
            "worker": worker,
            "form_key": form_key,
            "draft": draft if request.method == "GET" else None,
            "session": None,
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    if not access.may_hold_supervision(request.user):
        raise Http404
    worker = _worker_from_query(request)
    form_key = f"supervision-new:{worker.pk}"
    initial, draft = _draft(request, form_key)
    form = SessionForm(request.POST or None, initial={"format": "one_to_one", **initial})
    formset = _discussion_formset(request, worker, _formset_initial(initial))
    done = _submit(
        request,
        form,
        formset,
        form_key,
        lambda parts, discussions: services.session_record(
            by=request.user, worker=worker, parts=parts, discussions=discussions
        ),
    )
    return done or _form_page(
        request, form=form, formset=formset, worker=worker, form_key=form_key, draft=draft
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.session_access_for(request.user, pk)
    session = found.session
    discussions = selectors.discussions_of(session) if found.reads_management else []
    services.session_read(
        by=request.user,
        session=session,
        young_person_ids=[d.case.young_person_id for d in discussions],
    )
    private = (
        [
            (SupervisionSession._meta.get_field(name), getattr(session, name))
            for name in PRIVATE_FIELDS
        ]
        if found.reads_private
        else []
    )
    return render(
        request,
        "supervision/sessions/detail.html",
        {"found": found, "session": session, "discussions": discussions, "private": private},
    )


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.session_access_for(request.user, pk)
    if not found.may_edit:
        raise Http404
    session = found.session
    form_key = f"supervision-edit:{session.pk}"
    saved = {
        name: getattr(session, name)
        for name in (
            "held_on",
            "duration_minutes",
            "format",
            "development",
            "support",
            "mediation",
            "wellbeing_words",
        )
    }
    saved["wellbeing_rating"] = str(session.wellbeing_rating or "")
    initial, draft = _draft(request, form_key)
    form = EditSessionForm(
        request.POST or None, initial={**saved, "version": session.version, **initial}
    )
    formset = _discussion_formset(request, session.worker, _formset_initial(initial))
    theirs: dict[str, object] = {}
    try:
        done = _submit(
            request,
            form,
            formset,
            form_key,
            lambda parts, discussions: services.session_update(
                by=request.user,
                session=session,
                version=form.cleaned_data["version"],
                parts=parts,
                discussions=discussions,
            ),
        )
    except services.SessionConflict as conflict:
        done = None
        theirs = conflict.theirs
        form.add_record_error(conflict)
        # The next save is against the version now saved: what is typed
        # (and combined by the person) then goes in.
        data = request.POST.copy()
        data["version"] = str(conflict.current.version)
        form.data = data
    return done or _form_page(
        request,
        form=form,
        formset=formset,
        worker=session.worker,
        form_key=form_key,
        draft=draft,
        session=session,
        theirs=theirs,
        discussions=selectors.discussions_of(session),
    )


@require_http_methods(["GET", "POST"])
def reflection(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.session_access_for(request.user, pk)
    if not found.may_reflect:
        raise Http404
    session = found.session
    form_key = f"supervision-reflection:{session.pk}"
    initial, draft = _draft(request, form_key)
    form = ReflectionForm(
        request.POST or None,
        initial={"worker_reflection": session.worker_reflection, **initial},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_save(
                by=request.user, session=session, text=form.cleaned_data["worker_reflection"]
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            core.draft_discard(user=request.user, form_key=form_key)
            return redirect("supervision-session", pk=session.pk)
    return render(
        request,
        "supervision/sessions/reflection.html",
        {
            "form": form,
            "session": session,
            "form_key": form_key,
            "draft": draft if request.method == "GET" else None,
        },
    )
