"""Assessments on the young person's chronology: each submission and sign-off."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from assessments.models import (
    AssessmentStatus,
    AssessmentTransition,
    MeetingStatus,
    MeetingSubject,
)
from cse_cases import access
from cse_cases.chronology import Entry, Filter
from cse_cases.models import User, YoungPerson

SHOWN = (AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED_OFF, AssessmentStatus.RETURNED)


def assessment_entries(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    steps = (
        AssessmentTransition.objects.filter(
            assessment__in=access.assessments_visible_to(user)
            .filter(case__young_person=young_person)
            .values("pk"),
            to_status__in=SHOWN,
        )
        .select_related("assessment", "by__agency")
        .order_by("-at")
    )
    if flt.agency_id:
        steps = steps.filter(by__agency_id=flt.agency_id)
    for step in steps[: flt.limit]:
        assessment = step.assessment
        title = f"Risk assessment {step.get_to_status_display().lower()}"
        if step.to_status == AssessmentStatus.SIGNED_OFF:
            title += f": {assessment.get_judged_level_display().lower()}"
            if assessment.judgement_differs:
                title += f" (suggested {assessment.get_suggested_level_display().lower()})"
        yield Entry(
            at=step.at,
            kind="assessment",
            kind_label="Assessment",
            title=title,
            agency=step.by.agency.name if step.by.agency_id else "",
            author=str(step.by),
            body=step.comments,
            young_persons_words=assessment.young_persons_views
            if step.to_status == AssessmentStatus.SIGNED_OFF
            else "",
            extra={"url": reverse("assessment", args=[assessment.pk])},
        )


def action_entries(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    """Actions agreed for the young person, with their owner and status."""
    actions = (
        access.actions_visible_to(user)
        .filter(young_person=young_person)
        .select_related("owner", "owner_agency")
        .order_by("-created_at")
    )
    if flt.agency_id:
        actions = actions.filter(owner_agency_id=flt.agency_id)
    for action in actions[: flt.limit]:
        yield Entry(
            at=action.created_at,
            kind="action",
            kind_label="Action",
            title=f"Action for {action.owner}, due {action.due_on:%-d %b %Y}: "
            f"{action.get_status_display().lower()}",
            agency=action.owner_agency.name,
            author=str(action.owner),
            body=action.description,
            extra={"url": reverse("action", args=[action.pk])},
        )


def meeting_entries(user: User, young_person: YoungPerson, flt: Filter) -> Iterable[Entry]:
    """Meetings that discussed the young person, with what they decided."""
    if not access.young_people_visible_to(user).filter(pk=young_person.pk).exists():
        return
    subjects = (
        MeetingSubject.objects.filter(young_person=young_person)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__chair__agency")
        .order_by("-meeting__starts_at")
    )
    if flt.agency_id:
        subjects = subjects.filter(meeting__chair__agency_id=flt.agency_id)
    for subject in subjects[: flt.limit]:
        meeting = subject.meeting
        decided = []
        if subject.agreed_level:
            decided.append(f"level agreed {subject.get_agreed_level_display().lower()}")
        if subject.child_protection_enquiries == "yes":
            decided.append("child protection enquiries")
        if subject.criminal_investigation == "yes":
            decided.append("criminal investigation")
        title = meeting.get_kind_display()
        if decided:
            title += f": {', '.join(decided)}"
        yield Entry(
            at=meeting.starts_at,
            kind="meeting",
            kind_label="Meeting",
            title=title,
            agency=meeting.chair.agency.name if meeting.chair.agency_id else "",
            author=str(meeting.chair),
            body=subject.minutes,
            young_persons_words=subject.young_persons_views,
            extra={"url": reverse("meeting", args=[meeting.pk])},
        )
