"""Assessments, meetings and actions on the young person's chronology."""

from __future__ import annotations

from django.db.models import Case, F, QuerySet, TextField, Value, When
from django.urls import reverse

from assessments.models import (
    Action,
    Assessment,
    AssessmentStatus,
    AssessmentTransition,
    Meeting,
    MeetingStatus,
    MeetingSubject,
)
from cse_cases import access
from cse_cases.chronology import Entry, Filter, Row, Source, day, entry, label, person, project
from cse_cases.models import User, YoungPerson

SHOWN = (AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED_OFF, AssessmentStatus.RETURNED)


def assessment_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    """Each submission and sign-off (and return) of an assessment."""
    steps = AssessmentTransition.objects.filter(
        assessment__in=access.assessments_visible_to(user)
        .filter(case__young_person=young_person)
        .values("pk"),
        to_status__in=SHOWN,
    )
    if flt.agency_id:
        steps = steps.filter(by__agency_id=flt.agency_id)
    return project(
        steps,
        at=F("at"),
        agency=F("by__agency__name"),
        author=person("by"),
        body=F("comments"),
        # The young person's views go with the sign-off only.
        words=Case(
            When(to_status=AssessmentStatus.SIGNED_OFF, then=F("assessment__young_persons_views")),
            default=Value(""),
            output_field=TextField(),
        ),
        assessment=F("assessment_id"),
        to_status=F("to_status"),
        judged_level=F("assessment__judged_level"),
        suggested_level=F("assessment__suggested_level"),
    )


def assessment_entry(row: Row) -> Entry:
    data = row["entry_data"]
    title = f"Risk assessment {label(AssessmentTransition, 'to_status', data['to_status']).lower()}"
    if data["to_status"] == AssessmentStatus.SIGNED_OFF:
        # The model says when a judgement differs from the suggestion.
        assessment = Assessment(
            judged_level=data["judged_level"], suggested_level=data["suggested_level"]
        )
        title += f": {assessment.get_judged_level_display().lower()}"
        if assessment.judgement_differs:
            title += f" (suggested {assessment.get_suggested_level_display().lower()})"
    return entry(
        row,
        kind="assessment",
        kind_label="Assessment",
        title=title,
        extra={"url": reverse("assessment", args=[data["assessment"]])},
    )


def action_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    """Actions agreed for the young person, with their owner and status."""
    actions = access.actions_visible_to(user).filter(young_person=young_person)
    if flt.agency_id:
        actions = actions.filter(owner_agency_id=flt.agency_id)
    return project(
        actions,
        at=F("created_at"),
        agency=F("owner_agency__name"),
        author=person("owner"),
        body=F("description"),
        pk=F("pk"),
        due_on=F("due_on"),
        status=F("status"),
    )


def action_entry(row: Row) -> Entry:
    data = row["entry_data"]
    status = label(Action, "status", data["status"]).lower()
    return entry(
        row,
        kind="action",
        kind_label="Action",
        title=f"Action for {row['entry_author']}, due {day(data['due_on']):%-d %b %Y}: {status}",
        extra={"url": reverse("action", args=[data["pk"]])},
    )


def meeting_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    """Meetings that discussed the young person, with what they decided: for
    those who see the young person."""
    subjects = MeetingSubject.objects.filter(
        young_person=young_person,
        young_person__in=access.young_people_visible_to(user).values("pk"),
    ).exclude(meeting__status=MeetingStatus.CANCELLED)
    if flt.agency_id:
        subjects = subjects.filter(meeting__chair__agency_id=flt.agency_id)
    return project(
        subjects,
        at=F("meeting__starts_at"),
        agency=F("meeting__chair__agency__name"),
        author=person("meeting__chair"),
        body=F("minutes"),
        words=F("young_persons_views"),
        meeting=F("meeting_id"),
        meeting_kind=F("meeting__kind"),
        agreed_level=F("agreed_level"),
        child_protection_enquiries=F("child_protection_enquiries"),
        criminal_investigation=F("criminal_investigation"),
    )


def meeting_entry(row: Row) -> Entry:
    data = row["entry_data"]
    decided = []
    if data["agreed_level"]:
        decided.append(
            f"level agreed {label(MeetingSubject, 'agreed_level', data['agreed_level']).lower()}"
        )
    if data["child_protection_enquiries"] == "yes":
        decided.append("child protection enquiries")
    if data["criminal_investigation"] == "yes":
        decided.append("criminal investigation")
    title = label(Meeting, "kind", data["meeting_kind"])
    if decided:
        title += f": {', '.join(decided)}"
    return entry(
        row,
        kind="meeting",
        kind_label="Meeting",
        title=title,
        extra={"url": reverse("meeting", args=[data["meeting"]])},
    )


assessment_entries = Source(assessment_rows, assessment_entry)
action_entries = Source(action_rows, action_entry)
meeting_entries = Source(meeting_rows, meeting_entry)
