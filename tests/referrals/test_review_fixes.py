"""What a referral reveals to whom, and the edges of reopening, moving and assigning."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cse_cases import access
from cse_cases.models import YoungPerson
from cse_cases.services import RecordError
from referrals import services
from referrals.models import MeetingRequest, Referral
from tests.cse_cases.test_api import token_client
from tests.referrals.conftest import PDF, decide, referral_data, verified

pytestmark = pytest.mark.django_db


def unknown(by, area, **data):
    referral, _ = services.referral_create(
        by=verified(by),
        data=referral_data(subject_description="A girl of about 14 called Kay", **data),
        identity_unknown=True,
        area=area,
        idempotency_key=uuid.uuid4(),
    )
    return referral


def test_a_referrer_who_cannot_see_the_record_is_not_told_whose_it_is(
    sara, jo, amira, jade, jades_case, kingsmere, sign_in
) -> None:
    earlier, _ = services.referral_create(
        by=verified(amira),
        data=referral_data(concerns="Earlier worry"),
        young_person=jade,
    )
    referral = unknown(sara, kingsmere)
    services.referral_identify(by=verified(jo), referral=referral, young_person=jade)
    services.referral_screening_start(by=verified(jo), referral=referral)
    decide(referral, jo, rationale="Known to the exploitation team already")
    services.referral_reopen(by=verified(jo), referral=referral, reason="More information")
    page = sign_in(sara).get(reverse("referral", args=[referral.pk])).content.decode()
    assert "Jade" not in page
    # Attribute values hold random tokens (CSP nonce, CSRF) that may spell "JJ".
    text = re.sub(r"=\"[^\"]*\"|='[^']*'", "", page)
    assert "JJ" not in text  # no name, even in the history
    assert earlier.reference not in page
    assert "Known to the exploitation team already" not in page
    api = token_client(sara).get(f"/api/v1/referrals/{referral.pk}/").json()
    assert api["young_person"] is None
    assert api["previous_referral"] is None
    assert api["risk_level"] is None
    # Jo, who screens it, sees all of it.
    page = sign_in(jo).get(reverse("referral", args=[referral.pk])).content.decode()
    assert "Jade Morgan" in page
    assert reverse("referral", args=[earlier.pk]) in page


def test_reopening_undoes_the_earlier_decision(make_referral, amira, jade, jades_case, jo):
    referral = make_referral(by=amira, young_person=jade)
    services.referral_screening_start(by=verified(jo), referral=referral)
    decide(referral, jo, "strategy_discussion")
    reopened = services.referral_reopen(by=verified(jo), referral=referral, reason="New facts")
    assert MeetingRequest.objects.get(referral=referral).status == "cancelled"
    assert reopened.case is None
    assert reopened.feedback == ""
    decide(reopened, jo, "strategy_discussion")  # asked again, not a crash
    assert MeetingRequest.objects.get(referral=referral).status == "requested"


def test_moving_a_reopened_referral_keeps_its_new_clock(sara, jo, kingsmere, afon_valley):
    referral = unknown(sara, kingsmere)
    Referral.objects.filter(pk=referral.pk).update(
        received_at=timezone.now() - timedelta(days=20),
        clock_started_at=timezone.now() - timedelta(days=20),
    )
    referral.refresh_from_db()
    services.referral_screening_start(by=verified(jo), referral=referral)
    decide(referral, jo)
    reopened = services.referral_reopen(by=verified(jo), referral=referral, reason="New facts")
    moved = services.referral_transfer(
        by=verified(jo), referral=reopened, to_area=afon_valley, reason="Moved house"
    )
    assert not moved.overdue()


def test_assigning_is_only_to_people_and_teams_of_the_district(
    sara, jo, tom, kingsmere, kingsmere_team
) -> None:
    referral = unknown(sara, kingsmere)
    with pytest.raises(RecordError, match="works in Kingsmere"):
        services.referral_assign(by=verified(jo), referral=referral, worker=tom)
    response = token_client(jo).post(
        f"/api/v1/referrals/{referral.pk}/assign/", {"worker": tom.pk}, format="json"
    )
    assert response.status_code == 400
    assert not access.referrals_visible_to(verified(tom)).filter(pk=referral.pk).exists()
    services.referral_assign(by=verified(jo), referral=referral, team=kingsmere_team)


def test_the_api_runs_the_duplicate_check(sara, amira, jade, jades_case, kingsmere) -> None:
    body = {
        "referrer_name": "Amira",
        "referrer_agency_name": "Children's services",
        "new_young_person": {
            "legal_first_name": "Jade",
            "legal_last_name": "Morgan",
            "date_of_birth": jade.date_of_birth.isoformat(),
            "area": kingsmere.pk,
        },
        "concerns": "Worried",
        "parents_aware": "yes",
        "consent": "given",
    }
    seen = token_client(amira).post("/api/v1/referrals/", body, format="json")
    assert seen.status_code == 409
    assert seen.json()["candidates"] == [jade.pk]
    # Sara cannot see Jade: no second record; the screener confirms who it is.
    hidden = token_client(sara).post("/api/v1/referrals/", body, format="json")
    assert hidden.status_code == 201
    referral = Referral.objects.get(pk=hidden.json()["id"])
    assert referral.young_person is None
    assert referral.possible_match_ids == [jade.pk]
    assert referral.given_name == "Jade Morgan"
    assert YoungPerson.objects.count() == 1


def test_the_screener_is_shown_the_records_the_referrer_matched(
    sara, jo, jade, jades_case, kingsmere, sign_in
) -> None:
    referral, _ = services.referral_create(
        by=verified(sara),
        data=referral_data(),
        new_young_person={
            "legal_first_name": "Jade",
            "legal_last_name": "Morgan",
            "date_of_birth": jade.date_of_birth,
            "area": kingsmere,
        },
        hidden_match_ids=[jade.pk],
    )
    client = sign_in(jo)
    page = client.get(reverse("referral-identify", args=[referral.pk])).content.decode()
    assert "Records the referrer" in page
    assert f'value="{jade.pk}"' in page
    bad = client.post(reverse("referral-identify", args=[referral.pk]), {"young_person": "abc"})
    assert bad.status_code == 400
    assert "Choose a young person" in bad.content.decode()
    client.post(reverse("referral-identify", args=[referral.pk]), {"young_person": jade.pk})
    referral.refresh_from_db()
    assert referral.young_person == jade


def test_files_must_be_chosen_again_when_the_form_comes_back(sara, kingsmere, sign_in) -> None:
    response = sign_in(sara).post(
        reverse("referral-create"),
        {
            "idempotency_key": str(uuid.uuid4()),
            "identity": "unknown",
            "subject_description": "A girl",
            "area": kingsmere.pk,
            "attachments": SimpleUploadedFile("letter.pdf", PDF),
        },
    )
    assert "Choose your files again before sending" in response.content.decode()


def test_a_closing_reason_that_is_too_long_is_not_dropped(sara, jo, kingsmere, sign_in) -> None:
    referral = unknown(sara, kingsmere)
    services.referral_screening_start(by=verified(jo), referral=referral)
    decide(referral, jo)
    response = sign_in(jo).post(
        reverse("referral-close", args=[referral.pk]), {"reason": "x" * 6000}
    )
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "decided"


def test_a_duty_manager_opens_a_case_only_through_a_referral(
    sam, jade, jades_case, make_referral, amira
) -> None:
    assert not access.may_open_case(verified(sam), jade)
    referral = make_referral(by=amira, young_person=jade)
    assert access.may_open_case(verified(sam), jade, referral=referral)
