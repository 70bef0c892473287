"""Reads of templates and assessments, always scoped by the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from assessments.models import (
    EDITABLE,
    OPEN,
    AgencySection,
    Assessment,
    AssessmentStatus,
    AssessmentTemplate,
    AssessmentTransition,
    TemplateDomain,
    TemplateStatus,
)
from cse_cases import access, statements
from cse_cases.models import Case, User


def current_template() -> AssessmentTemplate | None:
    """The version new assessments start on: the latest published."""
    return (
        AssessmentTemplate.objects.filter(status=TemplateStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


def template_with_content(template_id: int) -> AssessmentTemplate:
    domains = TemplateDomain.objects.prefetch_related("indicators")
    return (
        AssessmentTemplate.objects.prefetch_related(Prefetch("domains", queryset=domains), "bands")
        .select_related("published_by", "created_by", "based_on")
        .get(pk=template_id)
    )


def templates_for(user: User) -> QuerySet[AssessmentTemplate]:
    return (
        access.templates_visible_to(user)
        .select_related("published_by", "created_by")
        .order_by("name", "-version")
    )


def assessment_page(user: User, pk: int) -> Assessment:
    """The assessment with everything its pages show, in a fixed number of queries."""
    assessment = (
        access.assessments_visible_to(user)
        .select_related(
            "case__young_person",
            "case__lead_professional",
            "case__area",
            "template",
            "author",
            "submitted_by",
            "signed_off_by",
            "updated_by",
        )
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=AgencySection.objects.select_related("agency", "updated_by"),
            ),
            Prefetch("transitions", queryset=AssessmentTransition.objects.select_related("by")),
            "answers",
        )
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment


def open_assessment(case: Case) -> Assessment | None:
    return case.assessments.filter(status__in=OPEN).first()


@dataclass
class TrajectoryPoint:
    at: datetime
    level: str
    label: str
    suggested: str
    assessment_id: int
    next_review_on: object


LEVEL_HEIGHT = {"low": 1, "medium": 2, "high": 3}


def trajectory(assessments: list[Assessment]) -> list[TrajectoryPoint]:
    """Signed-off levels, oldest first: how risk has changed over time."""
    # A signed-off assessment always has its time (assessment_signed_off_complete).
    signed = sorted(
        (
            (a.signed_off_at, a)
            for a in assessments
            if a.status == AssessmentStatus.SIGNED_OFF and a.signed_off_at is not None
        ),
        key=lambda pair: pair[0],
    )
    return [
        TrajectoryPoint(
            at=at,
            level=a.judged_level,
            label=a.get_judged_level_display(),
            suggested=a.get_suggested_level_display(),
            assessment_id=a.pk,
            next_review_on=a.next_review_on,
        )
        for at, a in signed
    ]


def trajectory_chart(points: list[TrajectoryPoint], *, width: int = 300, height: int = 90) -> dict:
    """Coordinates for a small step chart (the table beside it carries the same facts)."""
    if not points:
        return {}
    step = width / max(len(points), 1)
    coords = []
    for n, point in enumerate(points):
        y = height - LEVEL_HEIGHT.get(point.level, 0) * (height / 3.5)
        coords.append({"x": round(n * step + step / 2), "y": round(y), "point": point})
    path = " ".join(f"{'M' if n == 0 else 'L'}{c['x']},{c['y']}" for n, c in enumerate(coords))
    return {"width": width, "height": height, "coords": coords, "path": path}


@dataclass
class CaseAssessments:
    """What the case page shows: every assessment, the trajectory, the one in progress."""

    assessments: list[Assessment]
    points: list[TrajectoryPoint]
    chart: dict
    in_progress: Assessment | None
    next_review_on: object


def case_assessments(user: User, case: Case) -> CaseAssessments:
    # Compiled once per reader (cse_cases/statements.py): the record page's.
    assessments = statements.reused(
        user,
        ("case assessments",),
        lambda pk: (
            access.assessments_visible_to(user)
            .filter(case_id=pk)
            .select_related("signed_off_by")
            .order_by("started_at")
        ),
        case.pk,
    )
    points = trajectory(assessments)
    return CaseAssessments(
        assessments=assessments,
        points=points,
        chart=trajectory_chart(points),
        in_progress=next((a for a in assessments if a.status in OPEN), None),
        next_review_on=points[-1].next_review_on if points else None,
    )


@dataclass
class AssessmentWork:
    """The home page's assessment work: to sign off, and returned or in progress."""

    to_sign_off: list[Assessment]
    mine: list[Assessment]


HOME_LIMIT = 20


def work_for_home(user: User) -> AssessmentWork:
    to_sign_off = list(
        access.assessments_to_sign_off(user)
        .select_related("case__young_person", "submitted_by")
        .order_by("submitted_at")[:HOME_LIMIT]
    )
    mine = list(
        access.assessments_visible_to(user)
        .filter(status__in=EDITABLE)
        .filter(Q(case__lead_professional=user) | Q(author=user))
        .select_related("case__young_person")
        .order_by("-updated_at")[:HOME_LIMIT]
    )
    return AssessmentWork(to_sign_off=to_sign_off, mine=mine)
