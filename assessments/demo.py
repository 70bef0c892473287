"""Demo assessments, so a first `make run` shows a trajectory and work to sign off.

For each demo area, one case led by a demo practitioner gets a signed-off
assessment (low, then medium, so the case page draws a trajectory) and
another gets an assessment waiting for sign-off.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from assessments import services
from assessments.models import Answer, Assessment, DomainKind, TemplateIndicator
from assessments.selectors import current_template
from cse_cases.models import Area, Case, CaseStatus, Role, User

PRESENT = {
    "low": ("Missing from home or care",),
    "medium": (
        "Missing from home or care",
        "Three or more missing episodes",
        "More than one phone",
    ),
}


def _acting(user: User) -> User:
    # Seeding runs outside a request; demo people act as if signed in.
    user.is_verified = lambda: True
    return user


def _write(case: Case, level: str, author: User, signer: User | None) -> Assessment:
    assessment = services.assessment_start(by=author, case=case)
    indicators = TemplateIndicator.objects.filter(
        domain__template=assessment.template
    ).select_related("domain")
    answers = {}
    for indicator in indicators:
        present = indicator.domain.kind == DomainKind.STRENGTHS and indicator.position <= 3
        present = present or any(indicator.text.startswith(p) for p in PRESENT[level])
        answers[indicator.pk] = {
            "answer": Answer.PRESENT if present else Answer.NOT_PRESENT,
            "when": "In the last month" if present else "",
            "evidence": "Recorded by the team around the child (demo)." if present else "",
        }
    assessment = services.assessment_save(
        by=author,
        assessment=assessment,
        version=assessment.version,
        values={
            "young_persons_views": "\u201cI don't want to be moved again. "
            "I like my key worker.\u201d",
            "parents_views": "Carer is worried about late nights and wants more support.",
            "judged_level": level,
            "rationale": "Judged from the indicators and the team's knowledge (demo).",
        },
        answers=answers,
    )
    services.section_save(
        by=author,
        assessment=assessment,
        version=0,
        contribution="Weekly visits; the young person talks most freely on car journeys (demo).",
    )
    assessment = services.assessment_submit(by=author, assessment=assessment)
    if signer is not None:
        assessment = services.assessment_sign_off(by=signer, assessment=assessment)
    return assessment


def seed_assessments() -> int:
    if Assessment.objects.exists() or current_template() is None:
        return 0
    made = 0
    for area in Area.objects.all():
        lead = User.objects.filter(areas=area, role=Role.CSE_LEAD, is_demo=True).first()
        practitioner = User.objects.filter(
            areas=area, role=Role.PRACTITIONER, is_demo=True, is_active=True
        ).first()
        if lead is None or practitioner is None:
            continue
        cases = list(
            Case.objects.filter(
                Q(area=area), lead_professional=practitioner, status=CaseStatus.OPEN
            ).order_by("pk")[:2]
        )
        if len(cases) < 2:
            continue
        author, signer = _acting(practitioner), _acting(lead)
        first = _write(cases[0], "low", author, signer)
        # The earlier assessment dates from three months ago, for the trajectory.
        Assessment.objects.filter(pk=first.pk).update(
            signed_off_at=timezone.now() - timedelta(days=90)
        )
        _write(cases[0], "medium", author, signer)
        _write(cases[1], "medium", author, None)
        made += 3
    return made
