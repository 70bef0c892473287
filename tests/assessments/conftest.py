"""Assessment fixtures: Jade's case with an assessment under way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.meetings import services as meeting_services
from assessments.models import Answer, DomainKind, MeetingKind, TemplateIndicator
from assessments.risk import services
from tests.conftest import verified
from tests.factories import CaseFactory, YoungPersonFactory


def indicators_of(assessment) -> list[TemplateIndicator]:
    return list(
        TemplateIndicator.objects.filter(domain__template=assessment.template).select_related(
            "domain"
        )
    )


def answer_all(assessment, by, *, present: dict[str, int] | None = None):
    """Answer every question: "not present", except `present` (indicator text
    fragment -> how many in that domain) which are present with evidence."""
    present = present or {}
    answers = {}
    for indicator in indicators_of(assessment):
        answers[indicator.pk] = {"answer": Answer.NOT_PRESENT, "when": "", "evidence": ""}
        if indicator.domain.kind == DomainKind.STRENGTHS:
            answers[indicator.pk]["answer"] = Answer.PRESENT
        for fragment in present:
            if fragment.lower() in indicator.text.lower():
                answers[indicator.pk] = {
                    "answer": Answer.PRESENT,
                    "when": "since September",
                    "evidence": "Recorded by the police on three occasions.",
                }
    return services.assessment_save(
        by=verified(by),
        assessment=assessment,
        version=assessment.version,
        values={},
        answers=answers,
    )


def finish(assessment, by, *, judged: str, rationale: str = ""):
    return services.assessment_save(
        by=verified(by),
        assessment=assessment,
        version=assessment.version,
        values={
            "young_persons_views": "\u201cI just want to go back to school.\u201d",
            "parents_views": "Mum wants Jade home and safe.",
            "judged_level": judged,
            "rationale": rationale,
        },
    )


@pytest.fixture
def jades_assessment(jades_case, amira, template):
    return services.assessment_start(by=verified(amira), case=jades_case)


@pytest.fixture
def panel(jo, jade, jades_case, amira, kingsmere):
    """A MACE panel an hour before the test's clock, about Jade and two others
    in Kingsmere. An hour before *the test's* clock, so that what the test
    does next ("due in 3 days", "held this morning") counts from the same
    now: the modules that ask for it freeze that clock with
    ``pytest.mark.time_machine(ORDINARY_TUESDAY)`` (tests/conftest.py)."""
    others = [YoungPersonFactory(area=kingsmere, created_by=amira) for _ in range(2)]
    for other in others:
        CaseFactory(young_person=other, lead_professional=amira)
    meeting = meeting_services.meeting_schedule(
        by=verified(jo),
        kind=MeetingKind.MACE_PANEL,
        area=kingsmere,
        starts_at=timezone.now() - timedelta(hours=1),
        place="Kingsmere Civic Centre, room 2",
        young_people=[jade, *others],
    )
    return meeting


def schedule(by, area, young_people, *, kind=MeetingKind.STRATEGY_DISCUSSION, **more):
    """`by` schedules a meeting in `area` about `young_people`: online, now,
    unless `more` says otherwise (a place, a start)."""
    return meeting_services.meeting_schedule(
        by=verified(by),
        kind=kind,
        area=area,
        young_people=young_people,
        **{"starts_at": timezone.now(), "online": True, **more},
    )


def agree_action(meeting, *, by, young_person, owner, description="Visit", in_days=7, **more):
    """The chair agrees an action at the meeting, due `in_days` from today
    (negative: already past)."""
    return meeting_services.action_add(
        by=verified(by),
        meeting=meeting,
        young_person=young_person,
        description=description,
        owner=owner,
        due_on=timezone.localdate() + timedelta(days=in_days),
        **more,
    )


@pytest.fixture
def action_body(panel, jade):
    """What the API is sent to agree an action for Jade at the panel, due in a
    week, but for its owner."""
    return {
        "young_person": jade.pk,
        "meeting": panel.pk,
        "description": "Visit the school",
        "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
