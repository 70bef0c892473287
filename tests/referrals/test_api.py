"""/api/v1/referrals/: a partner system refers; screeners screen and decide."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from referrals.models import Referral
from tests.cse_cases.test_api import token_client
from tests.referrals.conftest import PDF

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


def body(kingsmere, **overrides) -> dict:
    data = {
        "referrer_name": "Duty desk",
        "referrer_agency_name": "Kingsmere Academy",
        "referrer_email": "safeguarding@school.example",
        "identity_unknown": True,
        "subject_description": "Girl, about 14, called 'Kay'",
        "area": kingsmere.pk,
        "concerns": "Seen getting into cars after school.",
        "indicators": ["transported"],
        "parents_aware": "not_known",
        "consent": "not_sought",
        "consent_not_sought_reason": "Identity not known",
        "sharing_basis": "safeguarding",
        "urgency": "urgent",
    }
    data.update(overrides)
    return data


def test_a_partner_system_refers_once_per_idempotency_key(sara, kingsmere) -> None:
    client = token_client(sara)
    key = str(uuid.uuid4())
    first = client.post(URL, body(kingsmere), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.json()
    again = client.post(URL, body(kingsmere), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Referral.objects.count() == 1
    assert first.json()["status"] == "received"
    assert first.json()["decision_due_at"]


def test_bad_input_answers_in_the_error_format(sara, kingsmere) -> None:
    client = token_client(sara)
    response = client.post(URL, body(kingsmere, consent="refused", sharing_basis=""), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["sharing_basis"] == [
        "Choose the lawful basis for sharing this information without consent"
    ]
    response = client.post(URL, body(kingsmere, identity_unknown=False), format="json")
    assert response.status_code == 400
    assert "Send one of young_person" in response.json()["errors"]["non_field_errors"][0]
    response = client.post(URL, body(kingsmere), format="json", HTTP_IDEMPOTENCY_KEY="not-a-uuid")
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Referral.objects.exists()


def test_attachments_arrive_as_multipart(sara, kingsmere) -> None:
    client = token_client(sara)
    data = body(kingsmere)
    data["indicators"] = "transported"
    data["attachments"] = [SimpleUploadedFile("letter.pdf", PDF)]
    response = client.post(URL, data, format="multipart")
    assert response.status_code == 201, response.json()
    assert [a["name"] for a in response.json()["attachments"]] == ["letter.pdf"]


def test_screening_and_deciding_through_the_api(sara, jo, tom, kingsmere) -> None:
    created = token_client(sara).post(URL, body(kingsmere), format="json").json()
    lead = token_client(jo)
    detail = f"{URL}{created['id']}/"
    decided = lead.post(
        f"{detail}decide/",
        {"decision": "early_help", "rationale": "Family support", "feedback": "Early help"},
        format="json",
    )
    assert decided.status_code == 409  # not screening yet
    assert decided.json()["code"] == "illegal_transition"
    assert lead.post(f"{detail}start-screening/").status_code == 200
    queue = lead.get(URL, {"queue": 1}).json()["results"]
    assert [r["id"] for r in queue] == [created["id"]]
    decided = lead.post(
        f"{detail}decide/",
        {"decision": "early_help", "rationale": "Family support", "feedback": "Early help"},
        format="json",
    )
    assert decided.status_code == 200
    assert decided.json()["decision"] == "early_help"
    # The referrer reads the outcome; an officer elsewhere is told nothing exists.
    assert token_client(sara).get(detail).json()["decision"] == "early_help"
    assert token_client(tom).get(detail).status_code == 404
    assert token_client(tom).post(f"{detail}close/").status_code == 404


def test_a_stale_screening_save_answers_409(sara, jo, sam, kingsmere) -> None:
    created = token_client(sara).post(URL, body(kingsmere), format="json").json()
    detail = f"{URL}{created['id']}/"
    version = token_client(jo).post(f"{detail}start-screening/").json()["version"]
    ok = token_client(jo).post(
        f"{detail}screening/", {"version": version, "risk_level": "high"}, format="json"
    )
    assert ok.status_code == 200
    stale = token_client(sam).post(
        f"{detail}screening/", {"version": version, "risk_level": "low"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == version + 1
