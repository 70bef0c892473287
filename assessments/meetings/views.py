"""Meeting pages: schedule, the list, attendance, young people, minutes,
actions, the pack and the record (PDF), and distribution; and the action
pages: the owner's work list and updating an action."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from assessments import pdf
from assessments.meetings import selectors, services
from assessments.meetings.forms import (
    ActionForm,
    ActionUpdateForm,
    MeetingForm,
    MeetingTimeForm,
    MinutesForm,
    ParticipantForm,
)
from assessments.models import (
    MINUTES_FIELDS,
    Attendance,
    DistributionKind,
    MeetingKind,
    MeetingSubject,
)
from cse_cases import access, audit
from cse_cases import selectors as core_selectors
from cse_cases.models import AuditAction
from cse_cases.params import id_or_404, whole_number
from cse_cases.services import NeedsConfirmation, RecordError
from reports.network.services import audit_map_view


def meetings(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    found = list(selectors.meetings_for(request.user)[:100])
    return render(
        request,
        "assessments/meetings/list.html",
        {"meetings": found, "may_schedule": access.may_schedule_meetings(request.user)},
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not access.may_schedule_meetings(request.user):
        raise Http404
    areas = access.meeting_areas_for(request.user)
    young_person = None
    if request.GET.get("young_person"):
        young_person = access.young_person_for(request.user, id_or_404(request.GET["young_person"]))
    meeting_request = None
    if request.GET.get("request"):
        meeting_request = access.meeting_request_for(
            request.user, id_or_404(request.GET["request"])
        )
        young_person = young_person or meeting_request.young_person
    # The default district stays the lead's first by id, as before; the
    # choices are listed by name.
    default_area = areas.order_by("pk").first()
    initial = {"area": (young_person.area_id if young_person else None) or default_area}
    if meeting_request is not None:
        initial["kind"] = MeetingKind.STRATEGY_DISCUSSION
    form = MeetingForm(request.POST or None, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                by=request.user,
                kind=form.cleaned_data["kind"],
                area=form.cleaned_data["area"],
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
                online=form.cleaned_data["online"],
                young_people=[young_person] if young_person else [],
                request=meeting_request,
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            messages.success(request, "Meeting scheduled. Invite people and add young people.")
            return redirect("meeting", pk=meeting.pk)
    return render(
        request,
        "assessments/meetings/form.html",
        {"form": form, "young_person": young_person, "meeting_request": meeting_request},
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    view = selectors.meeting_page(request.user, pk)
    audit.record(user=request.user, action=AuditAction.VIEW, obj=view.meeting)
    audit.record_many(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="meeting",
        young_person_ids=[item.subject.young_person_id for item in view.items],
        detail=f"meeting {view.meeting.pk}",
    )
    map_context = {}
    if view.network is not None:
        # The same rows as a view of /network/: the view, and each child shown.
        audit_map_view(user=request.user, network=view.network, detail=f"network map, meeting {pk}")
        names = {node.key: node.label for node in view.network.nodes}
        map_context = {
            "graph": view.network.as_data(),
            "link_rows": [(e, names[e.source], names[e.target]) for e in view.network.edges],
        }
    return render(
        request,
        "assessments/meetings/meeting.html",
        {
            **map_context,
            "view": view,
            "meeting": view.meeting,
            "participant_form": ParticipantForm(
                people=access.meeting_invitee_choices(view.meeting), meeting=view.meeting
            ),
            "context_choices": _context_choices(request, view),
            "attendance_choices": Attendance.choices,
            "recording_opens": _recording_opens(view.meeting),
        },
    )


def _recording_opens(meeting):
    """When attendance and minutes may first be recorded, while that is still
    ahead (the services refuse them before; the page says so first)."""
    opens = services.meeting_day_starts(meeting)
    return opens if timezone.now() < opens else None


def _context_choices(request: HttpRequest, view) -> dict:
    """What a chair may add: places, and the persons of concern they may see."""
    if not view.may_manage:
        return {}
    return {
        "locations": access.locations_visible_to(request.user)
        .exclude(pk__in=[loc.pk for loc in view.locations])
        .order_by("name"),
        "persons": access.persons_of_concern_visible_to(request.user)
        .exclude(pk__in=[p.pk for p in view.persons])
        .order_by("name"),
    }


def _managed(request: HttpRequest, pk: int):
    access.require_records(request.user)
    meeting = access.meeting_for(request.user, pk)
    if not access.may_manage_meeting(request.user, meeting):
        raise Http404
    return meeting


def _back(request: HttpRequest, meeting, error: RecordError | None = None, done: str = ""):
    if error is not None:
        messages.error(request, str(error))
    elif done:
        messages.success(request, done)
    return redirect("meeting", pk=meeting.pk)


@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    form = ParticipantForm(
        request.POST, people=access.meeting_invitee_choices(meeting), meeting=meeting
    )
    if not form.is_valid():
        # The list's own message (who may be invited, and what to do instead).
        first = next(iter(form.errors.values()))[0]
        return _back(request, meeting, RecordError(first))
    data = form.cleaned_data
    try:
        person = services.participant_add(
            by=request.user,
            meeting=meeting,
            user=data["user"],
            name=data["name"],
            agency=data["agency"],
            agency_name=data["agency_name"],
            role=data["role"],
        )
    except RecordError as error:
        return _back(request, meeting, error)
    note = (
        " They are recorded as an external attendee, with no access to Harbour."
        if person.external
        else ""
    )
    return _back(request, meeting, done=f"{person.name} added.{note}")


@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    marks = {
        whole_number(key.removeprefix("attendance-")): value
        for key, value in request.POST.items()
        if key.startswith("attendance-")
        and whole_number(key.removeprefix("attendance-")) is not None
    }
    try:
        services.attendance_record(
            by=request.user,
            meeting=meeting,
            attendance=marks,
            core_agencies_note=request.POST.get("core_agencies_note", ""),
        )
    except RecordError as error:
        return _back(request, meeting, error)
    return _back(request, meeting, done="Attendance recorded.")


@require_http_methods(["GET", "POST"])
def subject_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    if request.method == "POST":
        young_person = access.young_person_for(
            request.user, id_or_404(request.POST.get("young_person"))
        )
        try:
            services.subject_add(by=request.user, meeting=meeting, young_person=young_person)
        except RecordError as error:
            return _back(request, meeting, error)
        return _back(request, meeting, done=f"{young_person.display_name} added to the agenda.")
    query = request.GET.get("q", "").strip()
    results = (
        core_selectors.search_young_people(request.user, text=query)[:20] if len(query) >= 2 else []
    )
    if results:
        audit.record_many(
            user=request.user,
            action=AuditAction.SEARCH,
            object_type="youngperson",
            young_person_ids=[r.pk for r in results],
            detail="add to a meeting",
        )
    return render(
        request,
        "assessments/meetings/add_young_person.html",
        {"meeting": meeting, "q": query, "results": results},
    )


def _subject(request: HttpRequest, pk: int, subject_pk: int) -> MeetingSubject:
    meeting = _managed(request, pk)
    subject = get_object_or_404(
        MeetingSubject.objects.select_related("young_person", "meeting"),
        pk=subject_pk,
        meeting=meeting,
    )
    # Running the meeting does not open a record: they must see the young person.
    access.young_person_for(request.user, subject.young_person_id)
    return subject


@require_POST
def subject_remove(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    subject = _subject(request, pk, subject_pk)
    try:
        services.subject_remove(by=request.user, subject=subject)
    except RecordError as error:
        return _back(request, subject.meeting, error)
    return _back(request, subject.meeting, done="Removed from the agenda.")


@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    subject = _subject(request, pk, subject_pk)
    initial = {
        "version": subject.version,
        **{name: getattr(subject, name) for name in MINUTES_FIELDS},
    }
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(by=request.user, subject=subject, **form.cleaned_data)
        except RecordError as error:
            form.add_record_error(error)
        else:
            return _back(
                request,
                subject.meeting,
                done=f"Minutes saved for {subject.young_person.display_name}.",
            )
    return render(
        request, "assessments/meetings/minutes_form.html", {"form": form, "subject": subject}
    )


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    subject = _subject(request, pk, subject_pk)
    people = access.action_owner_choices(subject.young_person, meeting=subject.meeting)
    form = ActionForm(request.POST or None, people=people, young_person=subject.young_person)
    needs_confirm = False
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(
                by=request.user,
                meeting=subject.meeting,
                young_person=subject.young_person,
                **form.cleaned_data,
            )
        except NeedsConfirmation as warning:
            form.add_record_error(warning)
            needs_confirm = True
        except RecordError as error:
            form.add_record_error(error)
        else:
            return _back(request, subject.meeting, done="Action agreed.")
    return render(
        request,
        "assessments/meetings/action_form.html",
        {
            "form": form,
            "subject": subject,
            "needs_confirm": needs_confirm or form["confirm_past"].value(),
            # Whether anyone offered must join the team around the child first.
            "someone_cannot_see": people.filter(sees_young_person=False).exists(),
        },
    )


@require_POST
def distribute(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    meeting = _managed(request, pk)
    if kind not in DistributionKind.values:
        raise Http404
    try:
        sent = services.distribute(by=request.user, meeting=meeting, kind=kind)
    except RecordError as error:
        return _back(request, meeting, error)
    withheld = sum(1 for d in sent if d.withheld)
    verb = "gets" if withheld == 1 else "get"
    note = f" {withheld} of them {verb} a copy with some young people withheld." if withheld else ""
    label = DistributionKind(kind).label.lower()
    return _back(request, meeting, done=f"The {label} was sent to {len(sent)} people.{note}")


def meeting_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    access.require_records(request.user)
    meeting = access.meeting_for(request.user, pk)
    if kind not in DistributionKind.values or not access.may_read_meeting_papers(
        request.user, meeting
    ):
        raise Http404
    document, filename = pdf.meeting_document(request.user, meeting, kind)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def contexts(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or remove a place or a person of concern the meeting considers."""
    meeting = _managed(request, pk)
    location = person = None
    if request.POST.get("location"):
        location = get_object_or_404(
            access.locations_visible_to(request.user), pk=id_or_404(request.POST["location"])
        )
    if request.POST.get("person"):
        person = get_object_or_404(
            access.persons_of_concern_visible_to(request.user), pk=id_or_404(request.POST["person"])
        )
    try:
        services.meeting_context_change(
            by=request.user,
            meeting=meeting,
            location=location,
            person=person,
            remove=request.POST.get("remove") == "1",
        )
    except RecordError as error:
        return _back(request, meeting, error)
    return _back(request, meeting, done="Saved.")


def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a scheduled meeting: a new time, place or online."""
    meeting = _managed(request, pk)
    starts = timezone.localtime(meeting.starts_at)
    initial = {
        "day": starts.date(),
        "time": starts.time().replace(second=0, microsecond=0),
        "place": meeting.place,
        "online": meeting.online,
    }
    form = MeetingTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.meeting_reschedule(
                by=request.user,
                meeting=meeting,
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
                online=form.cleaned_data["online"],
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            when = timezone.localtime(moved.starts_at)
            return _back(request, moved, done=f"The meeting is moved to {when:%-d %B %Y, %H:%M}.")
    return render(
        request, "assessments/meetings/reschedule.html", {"form": form, "meeting": meeting}
    )


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    try:
        services.meeting_cancel(
            by=request.user, meeting=meeting, reason=request.POST.get("reason", "")
        )
    except RecordError as error:
        return _back(request, meeting, error)
    return _back(request, meeting, done="The meeting is cancelled.")


# --- Actions ------------------------------------------------------------------------


def my_actions(request: HttpRequest) -> HttpResponse:
    """The owner's work list: open actions first, soonest due first."""
    access.require_records(request.user)
    actions = list(selectors.my_actions(request.user)[:200])
    audit.record_many(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="action",
        young_person_ids=[a.young_person_id for a in actions],
        detail="my actions",
    )
    return render(
        request,
        "assessments/meetings/my_actions.html",
        {"actions": actions, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_records(request.user)
    action = access.action_for(request.user, pk)
    may_update = access.may_update_action(request.user, action)
    initial = {"version": action.version, "status": action.status, "evidence": action.evidence}
    form = ActionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_update:
            raise Http404
        if form.is_valid():
            try:
                services.action_update(by=request.user, action=action, **form.cleaned_data)
            except RecordError as error:
                form.add_record_error(error)
            else:
                messages.success(request, "Action updated.")
                return redirect("action", pk=action.pk)
    else:
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            obj=action,
            young_person_id=action.young_person_id,
        )
    sees_child = access.sees_young_person(request.user, action.young_person_id)
    return render(
        request,
        "assessments/meetings/action.html",
        {"action": action, "form": form, "may_update": may_update, "sees_child": sees_child},
    )
