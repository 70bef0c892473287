"""/api/v1/assessments/ and /api/v1/assessment-templates/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, AssessmentTemplate, TemplateStatus
from cse_cases.models import AuditEvent
from tests.assessments.conftest import indicators_of
from tests.conftest import signed_in_client


def api(user):
    return signed_in_client(user)


def test_the_whole_journey_through_the_api(template, jades_case, amira, grace, sam):
    started = api(amira).post(
        reverse("assessment-api-list"), {"case": jades_case.pk}, content_type="application/json"
    )
    assert started.status_code == 201, started.json()
    body = started.json()
    pk = body["id"]
    url = reverse("assessment-api-detail", args=[pk])
    assessment = Assessment.objects.get(pk=pk)
    answers = [{"indicator": i.pk, "answer": "not_present"} for i in indicators_of(assessment)]
    answers[0] = {
        "indicator": answers[0]["indicator"],
        "answer": "present",
        "when": "October",
        "evidence": "Police log",
    }
    patched = api(amira).patch(
        url,
        {
            "version": body["version"],
            "answers": answers,
            "young_persons_views": "I want to stay at my nan's",
            "parents_views": "Dad is worried",
            "judged_level": "medium",
            "rationale": "Grooming online is escalating.",
        },
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["score"] == 3
    assert patched.json()["suggested_level"] == "low"
    section = api(grace).post(
        reverse("assessment-api-section", args=[pk]),
        {"version": 0, "contribution": "Health: seen twice."},
        content_type="application/json",
    )
    assert section.status_code == 200
    assert section.json()["sections"][0]["agency_name"] == grace.agency.name
    submitted = api(amira).post(reverse("assessment-api-submit", args=[pk]))
    assert submitted.json()["status"] == "submitted"
    signed = api(sam).post(
        reverse("assessment-api-sign-off", args=[pk]), {}, content_type="application/json"
    )
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed_off"
    assert signed.json()["next_review_on"]
    assert AuditEvent.objects.filter(object_type="assessment", object_id=pk).count() >= 4


def test_submitting_incomplete_lists_every_problem(jades_assessment, amira):
    response = api(amira).post(reverse("assessment-api-submit", args=[jades_assessment.pk]))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"young_persons_views", "parents_views", "judged_level", "sections"} <= set(errors)
    assert sum("answer every question" in m for ms in errors.values() for m in ms) == 13


def test_a_stale_version_answers_409(jades_assessment, amira, jo):
    url = reverse("assessment-api-detail", args=[jades_assessment.pk])
    assert (
        api(jo)
        .patch(url, {"version": 1, "rationale": "Jo"}, content_type="application/json")
        .status_code
        == 200
    )
    response = api(amira).patch(
        url, {"version": 1, "rationale": "Amira"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["current_version"] == 2


def test_the_author_signing_off_is_refused_with_a_reason(template, jades_case, jo, grace):
    from assessments.risk import services
    from tests.assessments.conftest import answer_all, finish
    from tests.conftest import verified

    a = services.assessment_start(by=verified(jo), case=jades_case)
    a = answer_all(a, jo)
    services.section_save(by=verified(grace), assessment=a, version=0, contribution="x")
    a = finish(a, jo, judged="low")
    services.assessment_submit(by=verified(jo), assessment=a)
    response = api(jo).post(reverse("assessment-api-sign-off", args=[a.pk]))
    assert response.status_code == 400
    assert "You wrote this assessment" in str(response.json())


@pytest.mark.parametrize("outsider", ["ben", "tom", "priya", "alex"])
def test_outsiders_get_404(outsider, request, jades_assessment):
    user = request.getfixturevalue(outsider)
    client = api(user)
    assert (
        client.get(reverse("assessment-api-detail", args=[jades_assessment.pk])).status_code == 404
    )
    assert (
        client.patch(
            reverse("assessment-api-detail", args=[jades_assessment.pk]),
            {"version": 1, "rationale": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("assessment-api-section", args=[jades_assessment.pk]),
            {"version": 0, "contribution": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    listed = client.get(reverse("assessment-api-list"))
    assert listed.status_code == 404 or listed.json()["results"] == []


def test_a_team_member_reads_but_cannot_complete_or_sign_off(jades_assessment, grace):
    client = api(grace)
    assert (
        client.get(reverse("assessment-api-detail", args=[jades_assessment.pk])).status_code == 200
    )
    assert (
        client.patch(
            reverse("assessment-api-detail", args=[jades_assessment.pk]),
            {"version": 1},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("assessment-api-sign-off", args=[jades_assessment.pk])).status_code
        == 404
    )


# --- Templates ---


def test_everyone_with_records_reads_the_published_template(template, grace):
    response = api(grace).get(reverse("assessment-template-api-detail", args=[template.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "published"
    assert len(body["domains"]) == 13
    assert body["bands"][0] == {
        "min_score": 0,
        "level": "low",
        "label": "0 to 5: low; keep in view and review the indicators",
    }


def test_a_commissioner_sees_no_templates(template, priya):
    assert api(priya).get(reverse("assessment-template-api-list")).status_code == 404


def test_a_cse_lead_publishes_a_new_version_and_existing_assessments_keep_theirs(
    template, jo, jades_assessment, amira
):
    client = api(jo)
    created = client.post(reverse("assessment-template-api-new-version", args=[template.pk]))
    assert created.status_code == 201
    draft = created.json()
    assert (draft["version"], draft["status"]) == (2, "draft")
    content = {
        "description": draft["description"],
        "change_summary": "Adds an indicator about online gaming.",
        "bands": draft["bands"],
        "domains": [
            {k: d[k] for k in ("key", "title", "kind", "guidance")}
            | {
                "indicators": [
                    {k: i[k] for k in ("text", "weight", "window")} for i in d["indicators"]
                ]
            }
            for d in draft["domains"]
        ],
    }
    content["domains"][5]["indicators"].append(
        {
            "text": "Contact through online games with unknown adults",
            "weight": 2,
            "window": "current",
        }
    )
    url = reverse("assessment-template-api-detail", args=[draft["id"]])
    assert client.put(url, content, content_type="application/json").status_code == 200
    published = client.post(reverse("assessment-template-api-publish", args=[draft["id"]]))
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    # Jade's assessment keeps version 1; a new one would start on version 2.
    assert Assessment.objects.get(pk=jades_assessment.pk).template_id == template.pk
    from assessments.risk.selectors import current_template

    assert current_template().version == 2


def test_editing_a_version_in_use_is_refused(template, jo, jades_assessment):
    response = api(jo).put(
        reverse("assessment-template-api-detail", args=[template.pk]),
        {"description": "x", "change_summary": "", "bands": [], "domains": []},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "template_published"
    assert "in use by 1 assessment" in response.json()["detail"]
    assert "publish" in response.json()["detail"]


def test_a_template_without_strengths_or_indicators_is_refused(template, jo):
    draft = api(jo).post(reverse("assessment-template-api-new-version", args=[template.pk])).json()
    response = api(jo).put(
        reverse("assessment-template-api-detail", args=[draft["id"]]),
        {
            "description": "",
            "change_summary": "",
            "bands": [{"min_score": 3, "level": "low", "label": "x"}],
            "domains": [],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    messages = str(response.json()["errors"])
    assert "at least one risk indicator" in messages
    assert "strengths and protective factors section" in messages
    assert "first score band starts at 0" in messages


def test_a_practitioner_cannot_start_a_version(template, amira):
    response = api(amira).post(reverse("assessment-template-api-new-version", args=[template.pk]))
    assert response.status_code == 404
    assert not AssessmentTemplate.objects.filter(status=TemplateStatus.DRAFT).exists()
