"""Assessments on the young person's chronology: each submission and sign-off."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from assessments.models import AssessmentStatus, AssessmentTransition
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
