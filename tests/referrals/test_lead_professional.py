"""Deciding "CSE assessment" opens a case with the lead professional the CSE
lead chose (never silently the CSE lead), and the screened risk becomes the
case's first risk level.

Sara (Kingsmere Academy) refers Kayla, who has no case. Jo, Kingsmere's CSE
lead, decides. Amira (social worker, Exploitation Team) and Ben (social
worker, no team) can lead; so can Sara, of the referrer's agency. Tom is a
police officer in Afon Valley and Priya a commissioner: neither can.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_cases import access
from cse_cases.models import Case, RiskSource, Role
from cse_cases.services import RecordError
from referrals import services
from referrals.models import Referral
from tests.conftest import verified, years_before
from tests.cse_cases.test_api import token_client
from tests.factories import UserFactory
from tests.referrals.conftest import decide, referral_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaylas_referral(sara, kingsmere, jo) -> Referral:
    """Referred by Sara, screened by Jo at high risk: ready for the decision."""
    referral, _ = services.referral_create(
        by=verified(sara),
        data=referral_data(),
        new_young_person={
            "legal_first_name": "Kayla",
            "legal_last_name": "Price",
            "date_of_birth": years_before(timezone.localdate(), 14),
            "area": kingsmere,
        },
    )
    lead = verified(jo)
    referral = services.referral_screening_start(by=lead, referral=referral)
    return services.referral_screening_update(
        by=lead,
        referral=referral,
        version=referral.version,
        risk_level="high",
        screening_notes="Police hold intelligence on the car's driver.",
    )


def form_data(**overrides) -> dict:
    data = {
        "decision": "cse_assessment",
        "rationale": "Several indicators and an adult of concern.",
        "feedback": "Thank you: a social worker will be in touch.",
        "advice": "",
        "referred_on_to": "",
        "lead_professional": "",
    }
    data.update(overrides)
    return data


# --- The service -------------------------------------------------------------------


def test_a_new_case_needs_a_lead_professional_chosen(kaylas_referral, jo) -> None:
    with pytest.raises(RecordError) as refused:
        decide(kaylas_referral, jo, "cse_assessment")
    assert refused.value.field == "lead_professional"
    assert "Choose the lead professional" in str(refused.value)
    assert not Case.objects.exists()
    assert Referral.objects.get().status == "screening"


@pytest.mark.parametrize("who", ["tom", "priya"])
def test_someone_who_cannot_lead_a_case_here_is_refused(kaylas_referral, jo, who, request) -> None:
    person = request.getfixturevalue(who)
    with pytest.raises(RecordError, match="cannot lead this case") as refused:
        decide(kaylas_referral, jo, "cse_assessment", lead_professional=person)
    assert refused.value.field == "lead_professional"
    assert "Kingsmere" in str(refused.value)
    assert not Case.objects.exists()


def test_the_lead_professional_chosen_gets_the_case_and_can_see_it(kaylas_referral, jo, ben):
    young_person = kaylas_referral.young_person
    assert not access.young_people_visible_to(verified(ben)).filter(pk=young_person.pk).exists()
    decided = decide(kaylas_referral, jo, "cse_assessment", lead_professional=ben)
    case = decided.case
    assert case.lead_professional == ben
    assert access.cases_visible_to(verified(ben)).filter(pk=case.pk).exists()


def test_the_screened_risk_is_the_new_cases_first_risk_level(kaylas_referral, jo, amira) -> None:
    case = decide(kaylas_referral, jo, "cse_assessment", lead_professional=amira).case
    case.refresh_from_db()
    assert case.risk_level == "high"
    (first,) = case.risk_history.all()
    assert first.level == "high"
    assert first.source == RiskSource.SCREENING
    assert first.source_reference == kaylas_referral.reference
    assert first.decided_by == jo


def test_a_referral_not_yet_judged_opens_a_case_with_no_risk_level(
    sara, kingsmere, jo, amira
) -> None:
    referral, _ = services.referral_create(
        by=verified(sara),
        data=referral_data(),
        new_young_person={
            "legal_first_name": "Mia",
            "legal_last_name": "Cole",
            "date_of_birth": years_before(timezone.localdate(), 13),
            "area": kingsmere,
        },
    )
    services.referral_screening_start(by=verified(jo), referral=referral)
    case = decide(referral, jo, "cse_assessment", lead_professional=amira).case
    assert not case.risk_history.exists()


def test_joining_the_open_case_needs_no_lead_professional(
    make_referral, jade, jades_case, jo, amira
) -> None:
    referral = make_referral(by=amira, young_person=jade)
    services.referral_screening_start(by=verified(jo), referral=referral)
    decided = decide(referral, jo, "cse_assessment")
    assert decided.case == jades_case
    assert not jades_case.risk_history.filter(source=RiskSource.SCREENING).exists()


# --- The decision page --------------------------------------------------------------


def test_the_form_offers_the_districts_practitioners_with_agency_and_team(
    kaylas_referral, jo, amira, ben, tom, priya, sign_in
) -> None:
    response = sign_in(jo).get(reverse("referral-decide", args=[kaylas_referral.pk]))
    assert response.status_code == 200
    choices = [
        (value, label)
        for value, label in response.context["form"].fields["lead_professional"].choices
        if value
    ]
    labels = [label for _, label in choices]
    # The referrer's agency first, and said so.
    assert labels[0] == "Sara Lewis (Kingsmere Academy, Practitioner): the referrer's agency"
    assert "Amira Bennett (Kingsmere Children's Services, Exploitation Team, Practitioner)" in (
        labels
    )
    assert "Ben Carter (Kingsmere Children's Services, Practitioner)" in labels
    assert "Sam Hughes (Kingsmere Children's Services, Exploitation Team, Supervisor)" in labels
    offered = {int(str(value)) for value, _ in choices}
    assert {amira.pk, ben.pk, jo.pk} <= offered
    assert not {tom.pk, priya.pk} & offered
    page = response.content.decode()
    assert "People from the referrer&#x27;s agency, Kingsmere Academy, come first." in page


def test_deciding_without_a_lead_professional_asks_for_one_and_keeps_what_was_typed(
    kaylas_referral, jo, sign_in
) -> None:
    response = sign_in(jo).post(reverse("referral-decide", args=[kaylas_referral.pk]), form_data())
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the lead professional for the young person&#x27;s new case" in page
    assert 'href="#id_lead_professional"' in page
    assert "Several indicators and an adult of concern." in page
    assert not Case.objects.exists()


def test_a_lead_professional_from_another_district_is_refused_on_the_page(
    kaylas_referral, jo, tom, sign_in
) -> None:
    response = sign_in(jo).post(
        reverse("referral-decide", args=[kaylas_referral.pk]),
        form_data(lead_professional=tom.pk),
    )
    assert response.status_code == 400
    assert "who works in Kingsmere" in response.content.decode()
    assert not Case.objects.exists()


def test_deciding_with_a_lead_professional_opens_the_case_at_the_screened_risk(
    kaylas_referral, jo, amira, sign_in
) -> None:
    client = sign_in(jo)
    response = client.post(
        reverse("referral-decide", args=[kaylas_referral.pk]),
        form_data(lead_professional=amira.pk),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.lead_professional == amira
    record = sign_in(amira).get(reverse("young-person", args=[case.young_person_id]))
    assert record.status_code == 200
    page = record.content.decode()
    assert f"(from screening of referral {kaylas_referral.reference})" in page


def test_with_an_open_case_the_form_says_it_joins_it(
    make_referral, jade, jades_case, jo, amira, sign_in
) -> None:
    referral = make_referral(by=amira, young_person=jade)
    services.referral_screening_start(by=verified(jo), referral=referral)
    response = sign_in(jo).get(reverse("referral-decide", args=[referral.pk]))
    page = response.content.decode()
    assert 'id="open-case"' in page
    assert "a CSE assessment joins it" in page
    assert 'name="lead_professional"' not in page


def test_the_decision_page_query_count_is_constant(
    kaylas_referral, jo, kingsmere, kingsmere_social_care, sign_in, django_assert_max_num_queries
) -> None:
    client = sign_in(jo)
    url = reverse("referral-decide", args=[kaylas_referral.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(25):
        UserFactory(
            username=f"worker{n}",
            role=Role.PRACTITIONER,
            agency=kingsmere_social_care,
            areas=[kingsmere],
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["form"].fields["lead_professional"].choices) > 25


# --- The API -------------------------------------------------------------------------


def test_the_api_requires_a_lead_professional_for_a_new_case(
    kaylas_referral, jo, tom, amira
) -> None:
    client = token_client(jo)
    url = f"/api/v1/referrals/{kaylas_referral.pk}/decide/"
    body = {
        "decision": "cse_assessment",
        "rationale": "Several indicators.",
        "feedback": "A social worker will be in touch.",
    }
    missing = client.post(url, body, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"]["lead_professional"] == [
        "Choose the lead professional for the young person's new case"
    ]
    elsewhere = client.post(url, {**body, "lead_professional": tom.pk}, format="json")
    assert elsewhere.status_code == 400
    assert "who works in Kingsmere" in elsewhere.json()["errors"]["lead_professional"][0]
    assert not Case.objects.exists()
    decided = client.post(url, {**body, "lead_professional": amira.pk}, format="json")
    assert decided.status_code == 200, decided.json()
    assert Case.objects.get().lead_professional == amira


def test_the_schema_documents_when_the_lead_professional_is_required() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    prop = schema["components"]["schemas"]["DecisionRequest"]["properties"]["lead_professional"]
    assert "Required when decision is cse_assessment" in prop["description"]
