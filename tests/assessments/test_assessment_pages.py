"""The assessment pages: start, autosave, sections, submit, sign off, trajectory."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment, AssessmentStatus
from assessments.risk import services
from cse_cases.models import Draft
from tests.assessments.conftest import answer_all, finish, indicators_of
from tests.conftest import signed_in_client, verified


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_lead_professional_starts_an_assessment_from_the_record(template, jades_case, amira):
    client = signed_in_client(amira)
    page = client.get(reverse("young-person", args=[jades_case.young_person_id]))
    assert "Start a risk assessment" in text(page)
    response = client.post(reverse("assessment-start", args=[jades_case.pk]))
    assessment = Assessment.objects.get(case=jades_case)
    assert response.url == reverse("assessment-edit", args=[assessment.pk])
    form = text(client.get(response.url))
    assert "Missing from home or care, or absent, in the last 6 months" in form
    assert "views, in their own words" in form


def test_a_team_member_sees_no_start_button_and_cannot_start(template, jades_case, grace):
    client = signed_in_client(grace)
    assert "Start a risk assessment" not in text(
        client.get(reverse("young-person", args=[jades_case.young_person_id]))
    )
    assert client.post(reverse("assessment-start", args=[jades_case.pk])).status_code == 404


def test_autosave_writes_into_the_assessment_and_moves_the_version_on(jades_assessment, amira):
    client = signed_in_client(amira)
    first = indicators_of(jades_assessment)[0]
    response = client.post(
        reverse("assessment-autosave", args=[jades_assessment.pk]),
        {
            "version": jades_assessment.version,
            f"i{first.pk}_answer": "present",
            f"i{first.pk}_when": "last weekend",
            f"i{first.pk}_evidence": "Police report PR-1",
            "young_persons_views": "I was scared",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Saved at" in body
    saved = Assessment.objects.get(pk=jades_assessment.pk)
    assert saved.young_persons_views == "I was scared"
    assert saved.score == 3
    assert f'value="{saved.version}"' in body
    assert 'hx-swap-oob="true"' in body
    assert saved.answers.get(indicator=first).when == "last weekend"


def test_an_autosave_against_someone_elses_newer_save_is_kept_as_a_draft(
    jades_assessment, amira, jo
):
    services.assessment_save(
        by=verified(jo),
        assessment=jades_assessment,
        version=1,
        values={"parents_views": "Jo's text"},
    )
    response = signed_in_client(amira).post(
        reverse("assessment-autosave", args=[jades_assessment.pk]),
        {"version": 1, "parents_views": "Amira's text"},
        HTTP_HX_REQUEST="true",
    )
    assert "saved this part of the assessment" in response.content.decode()
    assert Assessment.objects.get(pk=jades_assessment.pk).parents_views == "Jo's text"
    draft = Draft.objects.get(user=amira, form_key=f"assessment:{jades_assessment.pk}")
    assert draft.data["parents_views"] == "Amira's text"
    # Reloading offers the draft back.
    page = text(signed_in_client(amira).get(reverse("assessment-edit", args=[jades_assessment.pk])))
    assert "Draft restored" in page
    assert "Amira&#x27;s text" in page


def test_an_agency_writes_its_section_with_autosave(jades_assessment, grace):
    client = signed_in_client(grace)
    url = reverse("assessment-section", args=[jades_assessment.pk])
    assert "Kingsmere" in text(client.get(url)) or client.get(url).status_code == 200
    response = client.post(
        reverse("assessment-section-autosave", args=[jades_assessment.pk]),
        {"version": 0, "contribution": "Seen at the clinic."},
        HTTP_HX_REQUEST="true",
    )
    assert "Saved at" in response.content.decode()
    section = jades_assessment.sections.get()
    assert (section.agency, section.updated_by, section.contribution) == (
        grace.agency,
        grace,
        "Seen at the clinic.",
    )


def test_submitting_an_empty_assessment_lists_every_problem_and_keeps_the_text(
    jades_assessment, amira
):
    client = signed_in_client(amira)
    response = client.post(
        reverse("assessment-edit", args=[jades_assessment.pk]),
        {
            "version": jades_assessment.version,
            "rationale": "Typed before submitting",
            "submit": "1",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("answer every question") >= 13 * 2  # summary and field
    assert "Judge the level of risk." in page
    assert "No agency has contributed a section yet" in page
    assert "Typed before submitting" in page
    assert Assessment.objects.get(pk=jades_assessment.pk).rationale == "Typed before submitting"


def _submitted(assessment, amira, grace):
    saved = answer_all(assessment, amira, present={"Missing from home": 1, "Three or more": 1})
    services.section_save(by=verified(grace), assessment=saved, version=0, contribution="Nurse")
    saved = finish(saved, amira, judged="high", rationale="An adult is grooming her.")
    return services.assessment_submit(by=verified(amira), assessment=saved)


def test_a_supervisor_signs_off_and_the_trajectory_shows_it(jades_assessment, amira, grace, sam):
    submitted = _submitted(jades_assessment, amira, grace)
    client = signed_in_client(sam)
    page = text(client.get(reverse("assessment", args=[submitted.pk])))
    assert "Sign off" in page
    assert "Return with comments" in page
    response = client.post(reverse("assessment-sign-off", args=[submitted.pk]), {"comments": ""})
    assert response.status_code == 302
    record = text(client.get(reverse("young-person", args=[submitted.case.young_person_id])))
    assert 'id="trajectory"' in record
    assert "judged high (suggested medium)" in record
    assert "Next review by" in record


def test_the_author_trying_to_sign_off_is_told_why(template, jades_case, jo, grace):
    assessment = services.assessment_start(by=verified(jo), case=jades_case)
    _submitted(assessment, jo, grace)
    response = signed_in_client(jo).post(
        reverse("assessment-sign-off", args=[assessment.pk]), {"comments": "mine"}
    )
    assert "You wrote this assessment" in text(response)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_returning_needs_comments(jades_assessment, amira, grace, sam):
    submitted = _submitted(jades_assessment, amira, grace)
    response = signed_in_client(sam).post(
        reverse("assessment-return", args=[submitted.pk]), {"comments": ""}
    )
    assert "Say what needs to change" in text(response)


@pytest.mark.parametrize(
    ("name", "budget"), [("assessment", 16), ("assessment-edit", 21), ("assessment-section", 13)]
)
def test_pages_run_a_fixed_number_of_queries(
    name, budget, jades_assessment, amira, grace, django_assert_max_num_queries
):
    client = signed_in_client(amira)
    url = reverse(name, args=[jades_assessment.pk])
    client.get(url)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
    # Every question answered and two agencies' sections: the same count.
    answer_all(jades_assessment, amira, present={"Missing": 3, "adult": 2})
    services.section_save(
        by=verified(grace), assessment=jades_assessment, version=0, contribution="x"
    )
    services.section_save(
        by=verified(amira), assessment=jades_assessment, version=0, contribution="y"
    )
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("assessment", "get"),
        ("assessment-edit", "get"),
        ("assessment-autosave", "post"),
        ("assessment-section", "get"),
        ("assessment-section-autosave", "post"),
        ("assessment-sign-off", "post"),
        ("assessment-return", "post"),
    ],
)
def test_an_outsider_gets_404(name, method, jades_assessment, ben, tom):
    for outsider in (ben, tom):
        response = getattr(signed_in_client(outsider), method)(
            reverse(name, args=[jades_assessment.pk]), {"version": 1, "contribution": "x"}
        )
        assert response.status_code == 404
    assert Assessment.objects.get(pk=jades_assessment.pk).version == 1


def test_submission_and_sign_off_appear_on_the_chronology(jades_assessment, amira, grace, sam):
    from cse_cases import chronology

    submitted = _submitted(jades_assessment, amira, grace)
    services.assessment_sign_off(by=verified(sam), assessment=submitted)
    entries = [
        e
        for e in chronology.timeline(verified(grace), submitted.case.young_person)
        if e.kind == "assessment"
    ]
    assert [e.title for e in entries] == [
        "Risk assessment signed off: high (suggested medium)",
        "Risk assessment submitted for sign-off",
    ]
    assert entries[0].extra["url"] == reverse("assessment", args=[submitted.pk])
    assert entries[0].author == str(sam)


def test_the_home_page_lists_assessments_to_sign_off_and_to_complete(
    jades_assessment, amira, grace, sam, jo
):
    home = text(signed_in_client(amira).get(reverse("home")))
    assert 'id="assessments-to-complete"' in home
    assert "Jade" in home
    submitted = _submitted(jades_assessment, amira, grace)
    for supervisor in (sam, jo):
        page = text(signed_in_client(supervisor).get(reverse("home")))
        assert 'id="assessments-to-sign-off"' in page
        assert reverse("assessment", args=[submitted.pk]) in page
    # Nobody is asked to sign off what they wrote; Grace signs off nothing.
    assert 'id="assessments-to-sign-off"' not in text(signed_in_client(grace).get(reverse("home")))


def test_a_cse_lead_who_wrote_it_is_not_asked_to_sign_it_off(template, jades_case, jo, grace):
    assessment = services.assessment_start(by=verified(jo), case=jades_case)
    _submitted(assessment, jo, grace)
    assert 'id="assessments-to-sign-off"' not in text(signed_in_client(jo).get(reverse("home")))
