"""The assessment's life: start, write together, submit, sign off or return."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from assessments.risk import services
from cse_cases.models import AuditEvent, Case, RiskLevelChange
from cse_cases.services import EditConflict, RecordError
from tests.assessments.conftest import answer_all, finish
from tests.conftest import ORDINARY_TUESDAY, verified

# Dates here are "in 3 days", "due yesterday", a review months ahead: all
# counted from one ordinary working day, whatever day the suite runs.
pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)


def test_the_default_template_is_published_with_every_domain(template):
    titles = [d.title for d in template.domains.all()]
    assert titles[:3] == ["Missing episodes", "Relationships and associates", "Sexual health"]
    assert "Gangs and criminal involvement" in titles
    assert titles[-1] == "Strengths and protective factors"
    assert [b.min_score for b in template.bands.all()] == [0, 6, 11, 16]


def test_the_lead_professional_starts_one_assessment_at_a_time(jades_assessment, jades_case, amira):
    assert jades_assessment.status == AssessmentStatus.DRAFT
    assert jades_assessment.suggested_level == "low"
    with pytest.raises(RecordError, match="already has an assessment in progress"):
        services.assessment_start(by=verified(amira), case=jades_case)


def test_a_team_member_who_does_not_lead_cannot_start_or_complete(
    jades_case, grace, jades_assessment
):
    with pytest.raises(PermissionDenied):
        services.assessment_start(by=verified(grace), case=jades_case)
    with pytest.raises(PermissionDenied):
        services.assessment_save(
            by=verified(grace),
            assessment=jades_assessment,
            version=jades_assessment.version,
            values={"judged_level": "high"},
        )


def test_answers_score_the_weights_of_present_risk_indicators_only(jades_assessment, amira):
    # "Missing from home..." (3) + "Three or more..." (3) present; strengths all present.
    saved = answer_all(
        jades_assessment, amira, present={"Missing from home": 1, "Three or more": 1}
    )
    assert saved.score == 6
    assert saved.suggested_level == "medium"
    saved = answer_all(
        saved,
        amira,
        present={
            "Missing from home": 1,
            "Three or more": 1,
            "Linked to gangs": 1,
            "images shared": 1,
            "Given drugs": 1,
            "Self-harm or": 1,
        },
    )
    assert saved.score == 18
    assert saved.suggested_level == "high"


def test_a_second_person_on_the_same_part_is_told_not_overwritten(jades_assessment, amira, jo):
    opened_at = jades_assessment.version
    services.assessment_save(
        by=verified(amira),
        assessment=jades_assessment,
        version=opened_at,
        values={"parents_views": "Amira's"},
    )
    with pytest.raises(EditConflict, match=r"Amira .* saved this part"):
        services.assessment_save(
            by=verified(jo),
            assessment=jades_assessment,
            version=opened_at,
            values={"parents_views": "Jo's"},
        )
    assert Assessment.objects.get(pk=jades_assessment.pk).parents_views == "Amira's"


def test_the_same_person_saving_twice_quickly_is_not_a_conflict(jades_assessment, amira):
    version = jades_assessment.version
    services.assessment_save(
        by=verified(amira), assessment=jades_assessment, version=version, values={"rationale": "a"}
    )
    # An autosave still in flight carries the version the page had.
    services.assessment_save(
        by=verified(amira), assessment=jades_assessment, version=version, values={"rationale": "ab"}
    )
    assert Assessment.objects.get(pk=jades_assessment.pk).rationale == "ab"


def test_two_agencies_write_their_sections_at_once_without_overwriting(
    jades_assessment, amira, grace
):
    social_care = services.section_save(
        by=verified(amira),
        assessment=jades_assessment,
        version=0,
        contribution="Allocated social worker visits weekly.",
    )
    health = services.section_save(
        by=verified(grace),
        assessment=jades_assessment,
        version=0,
        contribution="School nurse saw Jade on Monday.",
    )
    assert social_care.agency_id != health.agency_id
    sections = {
        s.agency.name: s.contribution for s in jades_assessment.sections.select_related("agency")
    }
    assert sections == {
        amira.agency.name: "Allocated social worker visits weekly.",
        grace.agency.name: "School nurse saw Jade on Monday.",
    }
    assert health.updated_by == grace


def test_two_people_of_one_agency_on_one_section_are_told(jades_assessment, jades_case, amira, ben):
    from cse_cases.models import CaseMember

    CaseMember.objects.create(case=jades_case, user=ben, role="Youth worker", added_by=amira)
    first = services.section_save(
        by=verified(amira), assessment=jades_assessment, version=0, contribution="one"
    )
    services.section_save(
        by=verified(amira), assessment=jades_assessment, version=first.version, contribution="two"
    )
    with pytest.raises(EditConflict):
        services.section_save(
            by=verified(ben),
            assessment=jades_assessment,
            version=first.version,
            contribution="ben's",
        )


def test_someone_outside_the_team_cannot_write_a_section(jades_assessment, sara):
    with pytest.raises(PermissionDenied):
        services.section_save(
            by=verified(sara), assessment=jades_assessment, version=0, contribution="x"
        )


def test_submission_lists_every_missing_part_at_once(jades_assessment, amira):
    with pytest.raises(services.Incomplete) as caught:
        services.assessment_submit(by=verified(amira), assessment=jades_assessment)
    messages = [message for _, message in caught.value.problems]
    assert len([m for m in messages if "answer every question" in m]) == 13
    assert any("young person's views" in m for m in messages)
    assert any("parents' and carers' views" in m for m in messages)
    assert "Judge the level of risk." in messages
    assert any("No agency has contributed" in m for m in messages)
    assert Assessment.objects.get(pk=jades_assessment.pk).status == AssessmentStatus.DRAFT


def test_evidence_is_needed_for_each_indicator_marked_present(jades_assessment, amira):
    saved = answer_all(jades_assessment, amira)
    first = saved.template.domains.first().indicators.first()
    services.assessment_save(
        by=verified(amira),
        assessment=saved,
        version=saved.version,
        values={},
        answers={first.pk: {"answer": "present", "when": "", "evidence": ""}},
    )
    with pytest.raises(services.Incomplete) as caught:
        services.assessment_submit(by=verified(amira), assessment=saved)
    assert (
        f"i{first.pk}_evidence",
        "Missing episodes: give the evidence for each indicator marked present (1 without).",
    ) in caught.value.problems


def _ready(assessment, amira, grace, *, judged="medium", rationale=""):
    saved = answer_all(assessment, amira, present={"Missing from home": 1, "Three or more": 1})
    services.section_save(
        by=verified(grace), assessment=saved, version=0, contribution="Seen by the nurse."
    )
    return finish(saved, amira, judged=judged, rationale=rationale)


def test_a_judgement_that_differs_needs_a_rationale(jades_assessment, amira, grace):
    saved = _ready(jades_assessment, amira, grace, judged="high")
    with pytest.raises(services.Incomplete) as caught:
        services.assessment_submit(by=verified(amira), assessment=saved)
    assert caught.value.problems == [
        (
            "rationale",
            "Your judgement differs from the suggested level (medium): give your rationale.",
        )
    ]
    saved = finish(
        saved, amira, judged="high", rationale="The adult involved is known to police for grooming."
    )
    submitted = services.assessment_submit(by=verified(amira), assessment=saved)
    assert submitted.status == AssessmentStatus.SUBMITTED


def test_a_judgement_that_agrees_needs_no_rationale(jades_assessment, amira, grace):
    saved = _ready(jades_assessment, amira, grace, judged="medium")
    assert services.assessment_submit(by=verified(amira), assessment=saved).status == "submitted"


def test_the_author_cannot_sign_off_their_own_assessment(jades_case, jo, amira, grace, template):
    # Jo, a CSE lead, writes the assessment herself: someone else must sign it off.
    assessment = services.assessment_start(by=verified(jo), case=jades_case)
    saved = _ready(assessment, jo, grace)
    services.assessment_submit(by=verified(jo), assessment=saved)
    with pytest.raises(RecordError, match="You wrote this assessment"):
        services.assessment_sign_off(by=verified(jo), assessment=saved)


def test_a_practitioner_cannot_sign_off(jades_assessment, amira, grace):
    saved = _ready(jades_assessment, amira, grace)
    services.assessment_submit(by=verified(amira), assessment=saved)
    with pytest.raises(PermissionDenied):
        services.assessment_sign_off(by=verified(grace), assessment=saved)


def test_sign_off_sets_the_case_level_and_review_in_three_months(
    jades_assessment, amira, grace, sam
):
    saved = _ready(jades_assessment, amira, grace)
    services.assessment_submit(by=verified(amira), assessment=saved)
    signed = services.assessment_sign_off(by=verified(sam), assessment=saved, comments="Agreed.")
    assert signed.status == AssessmentStatus.SIGNED_OFF
    assert signed.signed_off_by == sam
    assert signed.next_review_on == timezone.localdate() + relativedelta(months=3)
    case = Case.objects.get(pk=saved.case_id)
    assert case.risk_level == "medium"
    assert RiskLevelChange.objects.get(case=case).decided_by == sam
    assert AuditEvent.objects.filter(
        object_type="assessment", object_id=saved.pk, action="change"
    ).exists()


def test_the_highest_level_is_reviewed_in_six_weeks(jades_assessment, amira, grace, jo):
    saved = _ready(jades_assessment, amira, grace, judged="high", rationale="Escalating quickly.")
    services.assessment_submit(by=verified(amira), assessment=saved)
    signed = services.assessment_sign_off(by=verified(jo), assessment=saved)
    assert signed.next_review_on == timezone.localdate() + relativedelta(weeks=6)
    assert (
        "the indicators suggested medium" in RiskLevelChange.objects.get(case=saved.case).rationale
    )


def test_next_review_months_end_sensibly():
    assert services.next_review("low", date(2026, 11, 30)) == date(2027, 2, 28)
    assert services.next_review("high", date(2026, 12, 24)) == date(2027, 2, 4)


def test_returned_with_comments_then_resubmitted(jades_assessment, amira, grace, sam):
    saved = _ready(jades_assessment, amira, grace)
    services.assessment_submit(by=verified(amira), assessment=saved)
    with pytest.raises(RecordError, match="Say what needs to change"):
        services.assessment_return(by=verified(sam), assessment=saved, comments="  ")
    returned = services.assessment_return(
        by=verified(sam), assessment=saved, comments="Add the school's view."
    )
    assert returned.status == AssessmentStatus.RETURNED
    # Returned work is editable again, and goes back for sign-off.
    saved = finish(returned, amira, judged="medium")
    assert services.assessment_submit(by=verified(amira), assessment=saved).status == "submitted"
    history = [(t.from_status, t.to_status, t.comments) for t in saved.transitions.all()]
    assert history == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "Add the school's view."),
        ("returned", "submitted", ""),
    ]


def test_a_submitted_assessment_cannot_be_edited(jades_assessment, amira, grace):
    saved = _ready(jades_assessment, amira, grace)
    services.assessment_submit(by=verified(amira), assessment=saved)
    with pytest.raises(RecordError, match="can no longer be changed"):
        finish(saved, amira, judged="low")
    with pytest.raises(RecordError, match="agency sections can no longer"):
        services.section_save(by=verified(grace), assessment=saved, version=1, contribution="late")


def test_only_a_submitted_assessment_is_signed_off(jades_assessment, sam):
    with pytest.raises(RecordError, match="Only a submitted assessment"):
        services.assessment_sign_off(by=verified(sam), assessment=jades_assessment)


def test_huge_text_is_refused_with_its_length(jades_assessment, amira):
    with pytest.raises(RecordError, match="20,001 characters long") as caught:
        services.assessment_save(
            by=verified(amira),
            assessment=jades_assessment,
            version=1,
            values={"rationale": "x" * 20_001},
        )
    assert caught.value.field == "rationale"


def test_an_answer_to_another_templates_indicator_is_refused(jades_assessment, amira):
    with pytest.raises(RecordError, match="not part of this assessment's template"):
        services.assessment_save(
            by=verified(amira),
            assessment=jades_assessment,
            version=1,
            values={},
            answers={999999: {"answer": "present"}},
        )


def test_the_database_refuses_a_sign_off_by_the_author(jades_assessment, amira):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Assessment.objects.filter(pk=jades_assessment.pk).update(signed_off_by=amira)


def test_the_default_templates_own_words_pass_the_language_check(template):
    from assessments.language import rules as language

    words = [template.description] + [b.label for b in template.bands.all()]
    for domain in template.domains.prefetch_related("indicators"):
        words += [domain.title, domain.guidance] + [i.text for i in domain.indicators.all()]
    flagged = {text: language.check(text) for text in words if language.check(text)}
    assert flagged == {}
